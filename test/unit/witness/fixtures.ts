/**
 * Test fixtures for the witness: an emulated vendor and HSM (fast scrypt), fleet key sets with
 * real emulated attestations, a witness data directory with a namespace and an operator, and a
 * running witness server on loopback (port 0).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { encodeFleetKeySet, fleetKeySetDigest } from '../../../ceremony/bundle/index.js';
import type { FleetKeySet } from '../../../ceremony/bundle/index.js';
import { randomBytes, sha256 } from '../../../ceremony/crypto/index.js';
import { createEmulatedVendor, enrollEmulatedDevice, openEmulatedHsm } from '../../../ceremony/hsm/index.js';
import type { Hsm } from '../../../ceremony/hsm/index.js';
import { generateSignerKey, parseSignerKey } from '../../../ceremony/tlog/index.js';
import type { OperatorSigner } from '../../../ceremony/witness/client/http-client.js';
import { addNamespace, parseOperatorSpec } from '../../../ceremony/witness/config/namespaces.js';
import { updateWitnessConfig } from '../../../ceremony/witness/config/store.js';
import type { WitnessLimits } from '../../../ceremony/witness/config/types.js';
import { witnessKeygen } from '../../../ceremony/witness/keys/keygen.js';
import type { WitnessKeygenResult } from '../../../ceremony/witness/keys/keygen.js';
import type { SubmittedAttestation } from '../../../ceremony/witness/policy/submission.js';
import { createWitnessServer } from '../../../ceremony/witness/server/app.js';
import { Witness } from '../../../ceremony/witness/witness.js';

/** A temporary directory removed by `cleanup`. */
export function tempDir(prefix = 'fc-witness-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An emulated vendor and one enrolled, open device. */
export interface Fleet {
  vendorRoot: Uint8Array;
  hsm: Hsm;
  serial: string;
}

/** Creates an emulated vendor and device under `dir` (fast scrypt: tests only). */
export async function createFleet(dir: string, serial = 'EMU-0001'): Promise<Fleet> {
  const vendor = await createEmulatedVendor(join(dir, 'vendor'));
  const pin = 'test-pin-123456';
  await enrollEmulatedDevice({
    vendorDir: vendor.dir,
    serial,
    dir: join(dir, `hsm-${serial}`),
    pin,
    kdf: { log2N: 10, r: 8, p: 1 },
  });
  const hsm = await openEmulatedHsm({ dir: join(dir, `hsm-${serial}`), pin });
  return { vendorRoot: vendor.rootCertificate, hsm, serial };
}

/** A fleet key set and what a submission carries with it. */
export interface BuiltFleetKeySet {
  ks: FleetKeySet;
  bytes: Uint8Array;
  digest: Uint8Array;
  attestations: SubmittedAttestation[];
}

let labelCounter = 0;

/** Generates two keys in the device, attests them and builds a fleet key set for (namespace, epoch). */
export async function buildFleetKeySet(
  fleet: Fleet,
  o: {
    namespace: string;
    epoch: bigint;
    previousDigest: Uint8Array | null;
    now?: number;
    change?: (ks: FleetKeySet) => FleetKeySet;
  },
): Promise<BuiltFleetKeySet> {
  const now = o.now ?? Date.now();
  const info = await fleet.hsm.info();
  const n = ++labelCounter;
  const specs = [
    { keyId: `session-${n}`, role: 'session' as const, algorithm: 'x25519' as const },
    { keyId: `signing-${n}`, role: 'signing' as const, algorithm: 'ed25519' as const },
  ];
  const keys = [];
  const attestations: SubmittedAttestation[] = [];
  for (const s of specs) {
    const k = await fleet.hsm.generateKey({ label: s.keyId, algorithm: s.algorithm });
    const att = await fleet.hsm.attestKey(s.keyId, randomBytes(32));
    attestations.push({ keyId: s.keyId, ...att });
    keys.push({
      keyId: s.keyId,
      role: s.role,
      algorithm: s.algorithm,
      publicKey: k.publicKey,
      hsmId: 'hsm-1',
      attestationDigest: sha256(att.statement),
    });
  }
  let ks: FleetKeySet = {
    version: 1,
    namespace: o.namespace,
    epoch: o.epoch,
    fleetId: 'fleet-a',
    previousDigest: o.previousDigest,
    validity: { notBefore: now - 3_600_000, notAfter: now + 30 * 86_400_000 },
    keys,
    hsms: [
      {
        id: 'hsm-1',
        site: 'site-a',
        vendor: info.vendor,
        model: info.model,
        serial: info.serial,
        firmware: info.firmware,
        attestationLevel: 'emulated',
      },
    ],
    quorum: { threshold: 1, total: 1 },
    transcriptDigest: randomBytes(32),
  };
  if (o.change) ks = o.change(ks);
  const bytes = encodeFleetKeySet(ks);
  return { ks, bytes, digest: fleetKeySetDigest(bytes), attestations };
}

/** An operator with a C2SP signer key (Ed25519). */
export interface TestOperator {
  name: string;
  signerKey: string;
  verifierKey: string;
  signer: OperatorSigner;
}

/** A fresh Ed25519 operator. */
export function makeOperator(name: string): TestOperator {
  const { signerKey, verifierKey } = generateSignerKey(name);
  const s = parseSignerKey(signerKey);
  return { name, signerKey, verifierKey, signer: { name, sign: async (m) => s.sign(m) } };
}

/** Keygen in `dir`, then one namespace with one operator. */
export async function createWitnessDir(
  dir: string,
  o: {
    namespace: string;
    operator: TestOperator;
    vendorRoot: Uint8Array;
    profile?: 'production' | 'rehearsal';
    limits?: Partial<WitnessLimits>;
    origin?: string;
  },
): Promise<WitnessKeygenResult> {
  const kg = await witnessKeygen({ dir, origin: o.origin ?? 'witness.test/log' });
  addNamespace(dir, {
    name: o.namespace,
    root: 'genesis',
    profile: o.profile ?? 'rehearsal',
    online: true,
    vendorRoots: [o.vendorRoot],
    operators: [parseOperatorSpec(o.operator.verifierKey)],
  });
  if (o.limits) updateWitnessConfig(dir, (c) => ({ ...c, limits: { ...c.limits, ...o.limits } }));
  return kg;
}

/** A witness serving on loopback. */
export interface RunningWitness {
  witness: Witness;
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** Opens the witness in `dir` and serves it on 127.0.0.1, port 0. */
export async function startWitness(dir: string, now?: () => number): Promise<RunningWitness> {
  const witness = await Witness.open({ dir, ...(now ? { now } : {}) });
  const app = await createWitnessServer(witness);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  return {
    witness,
    app,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await witness.close();
    },
  };
}

/** A raw HTTP reply. */
export interface RawReply {
  status: number;
  headers: Headers;
  text: string;
  /** The JSON body, when it is JSON. */
  json: { error?: string; message?: string; field?: string; failures?: { code: string }[] } & Record<
    string,
    unknown
  >;
}

/** POSTs raw bytes with the given headers. */
export async function postRaw(
  url: string,
  path: string,
  body: Uint8Array,
  headers: Record<string, string>,
): Promise<RawReply> {
  const res = await fetch(url + path, { method: 'POST', body: Buffer.from(body), headers });
  const text = await res.text();
  let json: RawReply['json'] = {};
  try {
    json = JSON.parse(text) as RawReply['json'];
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** POSTs CBOR signed by `op` (the signed path is `path`); `tweak` may change headers after signing. */
export async function postSigned(
  url: string,
  path: string,
  body: Uint8Array,
  op: TestOperator,
  o: {
    now?: number;
    tweak?: (h: Record<string, string>) => void;
    signedBody?: Uint8Array;
    signedPath?: string;
  } = {},
): Promise<RawReply> {
  const { signRequest } = await import('../../../ceremony/witness/auth/request-signature.js');
  const headers = await signRequest({
    method: 'POST',
    path: o.signedPath ?? path,
    body: o.signedBody ?? body,
    operator: op.name,
    sign: (m) => op.signer.sign(m),
    ...(o.now === undefined ? {} : { now: () => o.now! }),
  });
  const h: Record<string, string> = { ...headers, 'content-type': 'application/cbor' };
  o.tweak?.(h);
  return postRaw(url, path, body, h);
}
