/**
 * Everything the demo ceremony needs before it starts, made in the demo directory: identity keys
 * for the eight participants, three HSMs (emulated under a new emulated vendor, or SoftHSM2
 * tokens), the operator's counter-signing key in the first HSM, the witness (a new local one, or
 * the anchors of the given server), the trust file and the filled-in script. PINs come from the
 * environment variables the script names when they are set, else they are drawn at random; they
 * are handed to the ceremony in memory and never written or printed.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hexEncode, pemDecodeAll } from '../codec/index.js';
import { writeFileExclusive } from '../io/index.js';
import { createEmulatedVendor, enrollEmulatedDevice, openHsm } from '../hsm/index.js';
import type { HsmSpec } from '../hsm/index.js';
import { generateIdentityKeyFile } from '../runner/identity-key.js';
import type { StepRegistry } from '../runner/registry.js';
import {
  addNamespace,
  getJson,
  operatorSignerFromFile,
  parseInfoJson,
  witnessKeygen,
} from '../witness/index.js';
import { DEMO_FILES, DEMO_HSMS, DEMO_NAMESPACE, DEMO_WITNESS_ORIGIN } from './options.js';
import type { DemoOptions } from './options.js';
import { demoScript } from './script.js';
import type { DemoScriptFacts } from './script.js';
import { demoTrustFile } from './trust.js';
import type { DemoAnchors } from './trust.js';

/** The rehearsal template's participants (ids and key files). */
const PARTICIPANTS = ['admin', 'int-witness', 'co-1', 'co-2', 'co-3', 'co-4', 'co-5', 'op-signer'];
const FLEET_ID = 'fleet-rehearsal';
const OPERATOR = { label: 'operator-countersign', algorithm: 'ed25519' as const };

/** What the setup made. */
export interface DemoSetup {
  dir: string;
  script: string;
  trust: string;
  /** The PINs, by environment variable name: for the ceremony's environment only. */
  pins: Record<string, string>;
}

/** Creates everything in `dir` (which must be new or empty) for the demo ceremony. */
export async function setUpDemo(dir: string, o: DemoOptions, registry: StepRegistry): Promise<DemoSetup> {
  const env = o.environment ?? process.env;
  const pins = Object.fromEntries(
    DEMO_HSMS.map((h) => [h.pinEnv, env[h.pinEnv] ?? randomBytes(8).toString('hex')]),
  );
  const namespace = o.namespace ?? DEMO_NAMESPACE;
  mkdirSync(join(dir, 'participants'), { mode: 0o700 });
  const publicKeys = new Map(
    PARTICIPANTS.map((id) => [
      id,
      hexEncode(generateIdentityKeyFile(join(dir, 'participants', `${id}.key`))),
    ]),
  );
  o.say?.(
    'Participants: 8 identity keys generated (an administrator, an internal witness, 5 crypto officers, an operator signer).',
  );

  const hsms = o.hsm === 'softhsm' ? await softHsms(dir, pins) : await emulatedHsms(dir, o, pins);
  const operator = await withHsm(hsms.specs[0]!, async (h) => {
    const k = await h.generateKey({ label: OPERATOR.label, algorithm: OPERATOR.algorithm });
    return { algorithm: OPERATOR.algorithm, publicKey: k.publicKey };
  });
  o.say?.(`Operator counter-signing key generated in hsm-1 (${OPERATOR.algorithm}).`);

  const witness =
    o.witness === undefined
      ? await localWitness(dir, namespace, operator, hsms.roots)
      : await remoteWitness(o);
  const anchors: DemoAnchors = { namespace, ...witness.anchors, operator, vendorRoots: hsms.roots };
  const trust = join(dir, DEMO_FILES.trust);
  writeFileExclusive(trust, demoTrustFile(anchors), 0o644, 'DEMO_OUTPUT_EXISTS');
  const facts: DemoScriptFacts = {
    publicKeys,
    namespace,
    vendorRoot: hsms.vendorRoot,
    ...(hsms.tokens === undefined ? {} : { tokens: hsms.tokens }),
    ...(witness.script === undefined ? {} : { witness: witness.script }),
  };
  const script = join(dir, DEMO_FILES.script);
  writeFileExclusive(script, demoScript(facts, registry), 0o644, 'DEMO_OUTPUT_EXISTS');
  return { dir, script, trust, pins };
}

interface Hsms {
  specs: HsmSpec[];
  roots: Uint8Array[];
  vendorRoot: string;
  tokens?: DemoScriptFacts['tokens'];
}

async function withHsm<T>(
  spec: HsmSpec,
  use: (h: Awaited<ReturnType<typeof openHsm>>) => Promise<T>,
): Promise<T> {
  const h = await openHsm(spec);
  try {
    return await use(h);
  } finally {
    await h.close();
  }
}

async function emulatedHsms(dir: string, o: DemoOptions, pins: Record<string, string>): Promise<Hsms> {
  const vendorDir = o.vendor === undefined ? join(dir, DEMO_FILES.vendor) : resolve(o.vendor);
  if (o.vendor === undefined) await createEmulatedVendor(vendorDir, { name: 'fleet-ceremony demo' });
  const rootPem = join(vendorDir, 'root.pem');
  const root = pemDecodeAll(readFileSync(rootPem, 'utf8'), 'CERTIFICATE')[0]!.der;
  mkdirSync(join(dir, 'hsms'));
  const specs = await Promise.all(
    DEMO_HSMS.map(async (h) => {
      const d = join(dir, 'hsms', h.id);
      const pin = pins[h.pinEnv]!;
      await enrollEmulatedDevice({
        vendorDir,
        serial: h.serial,
        dir: d,
        pin,
        ...(o.kdf === undefined ? {} : { kdf: o.kdf }),
      });
      return { backend: 'emulated' as const, dir: d, pin };
    }),
  );
  o.say?.(`HSMs: 3 emulated HSMs enrolled under the emulated vendor (REHEARSAL: not hardware).`);
  return {
    specs,
    roots: [root],
    vendorRoot: o.vendor === undefined ? `${DEMO_FILES.vendor}/root.pem` : rootPem,
  };
}

async function softHsms(dir: string, pins: Record<string, string>): Promise<Hsms> {
  const { createDemoTokens } = await import('./softhsm.js');
  const soft = await createDemoTokens(
    join(dir, DEMO_FILES.softhsm),
    DEMO_HSMS.map((h) => h.token),
    DEMO_HSMS.map((h) => pins[h.pinEnv]!),
  );
  const byHsm = new Map(DEMO_HSMS.map((h, i) => [h.id, soft.tokens[i]!]));
  const specs = DEMO_HSMS.map((h) => ({
    backend: 'pkcs11' as const,
    module: soft.module,
    tokenLabel: h.token,
    pin: pins[h.pinEnv]!,
  }));
  return { specs, roots: [], vendorRoot: '', tokens: { module: soft.module, byHsm } };
}

async function localWitness(
  dir: string,
  namespace: string,
  operator: DemoAnchors['operator'],
  vendorRoots: Uint8Array[],
): Promise<{ anchors: Pick<DemoAnchors, 'witnessKeys' | 'logVerifierKey'>; script?: undefined }> {
  const wdir = join(dir, DEMO_FILES.witness);
  const w = await witnessKeygen({ dir: wdir, origin: DEMO_WITNESS_ORIGIN });
  addNamespace(wdir, {
    name: namespace,
    root: 'genesis',
    profile: 'rehearsal',
    online: true,
    vendorRoots,
    operators: [{ name: FLEET_ID, ...operator }],
  });
  return {
    anchors: {
      witnessKeys: [{ publicKey: w.statementPublicKey, notBefore: w.notBefore }],
      logVerifierKey: w.logVerifierKey,
    },
  };
}

async function remoteWitness(o: DemoOptions): Promise<{
  anchors: Pick<DemoAnchors, 'witnessKeys' | 'logVerifierKey'>;
  script: NonNullable<DemoScriptFacts['witness']>;
}> {
  const requestKey = resolve(o.operatorKey!);
  const info = parseInfoJson(await getJson(o.witness!, '/info'));
  return {
    anchors: {
      witnessKeys: info.keys.map((k) => ({ publicKey: k.publicKey, notBefore: Number(k.notBefore) })),
      logVerifierKey: info.logVerifierKey,
    },
    script: { url: o.witness!, requestKey, operator: operatorSignerFromFile(requestKey).name },
  };
}
