/**
 * A complete, real world for validation bundle tests: a 5-key fleet key set, a witness statement
 * key (Ed25519, deterministic seeds so runs are reproducible), a witness log (a real RFC 9162
 * MemoryTree with other entries before ours) whose checkpoint is signed by the log key and
 * cosigners, an operator counter-signing key inside an HSM (the real emulated HSM, or a small
 * software stand-in with the same interface for the fuzz loops), and the matching trust file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  encodeFleetKeySet,
  fleetKeySetDigest,
  assembleValidationBundle,
  parseTrustFile,
  witnessLogLeaf,
} from '../../../ceremony/bundle/index.js';
import type { FleetKeySet, Trust } from '../../../ceremony/bundle/index.js';
import { hexEncode, utf8Encode } from '../../../ceremony/codec/index.js';
import { ed25519, p256, sha256, x25519 } from '../../../ceremony/crypto/index.js';
import { createEmulatedVendor, enrollEmulatedDevice, openEmulatedHsm } from '../../../ceremony/hsm/index.js';
import {
  countersign,
  encodeSignatureMessage,
  signWitnessStatement,
} from '../../../ceremony/statement/index.js';
import type { CountersignHsm } from '../../../ceremony/statement/index.js';
import {
  MemoryTree,
  cosignatureSigner,
  ed25519Signer,
  formatCheckpoint,
  formatTlogProof,
  formatVerifierKey,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  signNote,
} from '../../../ceremony/tlog/index.js';
import type { Signer } from '../../../ceremony/tlog/index.js';

export const T = (iso: string) => Date.parse(iso);
export const NOW = T('2025-07-01T00:00:00Z');
export const NAMESPACE = 'example.com/backup-fleet';
export const ORIGIN = 'witness.example.com/log';

/** A deterministic 32-byte seed from a label. */
export const seed = (label: string) => sha256(utf8Encode(`fleet-ceremony test ${label}`));

/** The 5-key, 5-HSM fleet of the tests (X25519 session keys, one per HSM). */
export function fleet(over: Partial<FleetKeySet> = {}): FleetKeySet {
  const hsms = [1, 2, 3, 4, 5].map((i) => ({
    id: `hsm-0${i}`,
    site: i <= 3 ? 'eu-west-dc1' : 'us-east-dc2',
    vendor: 'fleet-ceremony',
    model: 'emulated-hsm',
    serial: `EMU-00000${i}`,
    firmware: '1.0.0',
    attestationLevel: 'emulated' as const,
  }));
  const keys = hsms.map((h, i) => ({
    keyId: `session-0${i + 1}`,
    role: 'session' as const,
    algorithm: 'x25519' as const,
    publicKey: x25519.getPublicKey(seed(`session ${i}`)),
    hsmId: h.id,
    attestationDigest: sha256(utf8Encode(`attestation ${i}`)),
  }));
  return {
    version: 1,
    namespace: NAMESPACE,
    epoch: 2n,
    fleetId: 'fleet-2025-06',
    previousDigest: sha256(utf8Encode('epoch 1')),
    validity: { notBefore: T('2025-06-01T00:00:00Z'), notAfter: T('2026-06-01T00:00:00Z') },
    keys,
    hsms,
    quorum: { threshold: 3, total: 5 },
    transcriptDigest: sha256(utf8Encode('transcript')),
    ...over,
  };
}

/** An HSM-shaped signer over a software key, for loops where the emulated device's I/O would dominate. */
export function softwareHsm(
  algorithm: 'ed25519' | 'p256',
  label = 'operator',
): CountersignHsm & { publicKey: Uint8Array } {
  const sk = algorithm === 'ed25519' ? seed('operator ed25519') : p256.generateKeyPair().secretKey;
  const publicKey = algorithm === 'ed25519' ? ed25519.getPublicKey(sk) : p256.getPublicKey(sk);
  return {
    publicKey,
    findKey: async (l) => (l === label ? { algorithm, publicKey, usages: ['sign'] } : undefined),
    sign: async (_l, m) => (algorithm === 'ed25519' ? ed25519.sign(sk, m) : p256.sign(sk, m)),
  };
}

/** An emulated vendor and device in a temporary directory, opened, with an operator key generated inside. */
export async function emulatedOperator(algorithm: 'ed25519' | 'p256', label = 'operator') {
  const base = mkdtempSync(join(tmpdir(), 'fc-bundle-'));
  await createEmulatedVendor(join(base, 'vendor'));
  const pin = 'test-pin-123456';
  await enrollEmulatedDevice({
    vendorDir: join(base, 'vendor'),
    serial: 'OP-1',
    dir: join(base, 'dev'),
    pin,
    kdf: { log2N: 10, r: 8, p: 1 },
  });
  const hsm = await openEmulatedHsm({ dir: join(base, 'dev'), pin });
  const key = await hsm.generateKey({ label, algorithm });
  return {
    hsm,
    publicKey: key.publicKey,
    cleanup: async () => {
      await hsm.close();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

export interface WitnessKey {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
  notBefore: string;
  notAfter?: string;
}

/** The witness statement keys: an old one (rotated out on 2025-06-01) and the current one. */
export function witnessKeys(): { old: WitnessKey; current: WitnessKey } {
  const key = (label: string) => ({ secretKey: seed(label), publicKey: ed25519.getPublicKey(seed(label)) });
  const old = { ...key('witness old'), notBefore: '2024-01-01T00:00:00Z', notAfter: '2025-06-01T00:00:00Z' };
  const current = { ...key('witness current'), notBefore: '2025-06-01T00:00:00Z' };
  if (old.publicKey[31] === current.publicKey[31]) throw new Error('fixture: witness key ids collide');
  return { old, current };
}

export interface WorldOptions {
  operator: CountersignHsm & { publicKey: Uint8Array };
  operatorAlgorithm: 'ed25519' | 'p256';
  /** Number of pinned cosigners and the quorum the trust file asks for (default none). */
  cosigners?: number;
  quorum?: number;
  /** Extra trust-file members (replace the defaults). */
  trust?: Record<string, unknown>;
}

export interface BuildOptions {
  fleetKeySet?: FleetKeySet;
  /** Raw fleet key set bytes (skips encoding). */
  fleetKeySetBytes?: Uint8Array;
  statementTime?: number;
  namespace?: string;
  epoch?: bigint;
  digest?: Uint8Array;
  witness?: WitnessKey;
  /** Which cosigners (by index) sign the checkpoint (default all). */
  cosignedBy?: number[];
  /** Entries in the log before ours (default 6) and after (default 3). */
  before?: number;
  after?: number;
}

/** The world: keys, trust file and a bundle builder. */
export function world(o: WorldOptions) {
  const wk = witnessKeys();
  const log: Signer = ed25519Signer(ORIGIN, seed('log'));
  const logVkey = formatVerifierKey({
    name: ORIGIN,
    type: SIGNATURE_TYPE_ED25519,
    publicKey: ed25519.getPublicKey(seed('log')),
  });
  const cosigners = Array.from({ length: o.cosigners ?? 0 }, (_, i) => {
    const name = `cosigner-${i}.example.org`;
    return {
      signer: cosignatureSigner(name, seed(name), { now: () => Math.floor(NOW / 1000) }),
      vkey: formatVerifierKey({
        name,
        type: SIGNATURE_TYPE_COSIGNATURE_V1,
        publicKey: ed25519.getPublicKey(seed(name)),
      }),
    };
  });
  const trustJson: Record<string, unknown> = {
    version: 1,
    profile: 'rehearsal',
    namespaces: [NAMESPACE],
    witness: {
      statement_keys: [wk.old, wk.current].map((k) => ({
        public_key: hexEncode(k.publicKey),
        not_before: k.notBefore,
        ...(k.notAfter === undefined ? {} : { not_after: k.notAfter }),
      })),
      log_key: logVkey,
      ...(cosigners.length === 0
        ? {}
        : { cosigners: { keys: cosigners.map((c) => c.vkey), quorum: o.quorum ?? cosigners.length } }),
    },
    operator_keys: [
      {
        algorithm: o.operatorAlgorithm,
        public_key: hexEncode(o.operator.publicKey),
        not_before: '2025-01-01T00:00:00Z',
      },
    ],
    ...o.trust,
  };
  const trustText = JSON.stringify(trustJson, null, 2);
  const trust: Trust = parseTrustFile(trustText, 'trust.json');

  async function build(b: BuildOptions = {}) {
    const fks = b.fleetKeySetBytes ?? encodeFleetKeySet(b.fleetKeySet ?? fleet());
    const witness = b.witness ?? wk.current;
    const statement = encodeSignatureMessage({
      ciphersuite: 1,
      namespace: b.namespace ?? NAMESPACE,
      timestamp: b.statementTime ?? T('2025-06-15T12:00:00Z'),
      epoch: b.epoch ?? 2n,
      digest: b.digest ?? fleetKeySetDigest(fks),
    });
    const witnessSignature = signWitnessStatement(statement, witness.secretKey);
    const cs = await countersign(o.operator, 'operator', witnessSignature, statement);
    const tree = new MemoryTree();
    for (let i = 0; i < (b.before ?? 6); i++) tree.append(utf8Encode(`other entry ${i}`));
    const index = tree.append(
      witnessLogLeaf({ statement, signature: witnessSignature, keyId: witness.publicKey[31]! }),
    );
    for (let i = 0; i < (b.after ?? 3); i++) tree.append(utf8Encode(`later entry ${i}`));
    const text = formatCheckpoint({ origin: ORIGIN, size: tree.size, rootHash: tree.root() });
    const by = b.cosignedBy ?? cosigners.map((_, i) => i);
    const checkpoint = signNote(text, [log, ...by.map((i) => cosigners[i]!.signer)]);
    const tlogProof = formatTlogProof({ index, proof: tree.proveInclusion(index), checkpoint });
    const bytes = assembleValidationBundle({
      fleetKeySet: fks,
      statement,
      witnessSignature,
      witnessPublicKey: witness.publicKey,
      countersignature: cs.signature,
      operatorKey: { algorithm: o.operatorAlgorithm, publicKey: o.operator.publicKey },
      tlogProof,
    });
    return {
      bytes,
      fks,
      statement,
      witnessSignature,
      countersignature: cs.signature,
      checkpoint,
      tlogProof,
      index,
    };
  }

  return { wk, log, logVkey, cosigners, trustJson, trustText, trust, build };
}
