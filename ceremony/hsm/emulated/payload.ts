/**
 * The plaintext inside `keystore.bin`: one deterministic-CBOR map (codec/) holding the device's
 * authoritative record, its attestation key and every generated key. Only ever written encrypted
 * (./keystore.ts).
 *
 * ```
 * { "v": 1,
 *   "device": { "serial", "model", "firmware", "vendor", "label", "createdAt": RFC 3339,
 *               "chain": [device cert DER, vendor root DER] },
 *   "attestationKey": { "secretKey": bstr(32), "publicKey": bstr(65) },          ; P-256
 *   "keys": [ { "label", "algorithm", "usages": [tstr], "origin": "generated",
 *               "createdAt": RFC 3339, "secretKey": bstr(32), "publicKey": bstr } ] }
 * ```
 */
import { decodeCbor, encodeCbor } from '../../codec/index.js';
import type { CborValue } from '../../codec/index.js';
import { MalformedError } from '../../errors.js';
import type { KeyAlgorithm, KeyUsage } from '../types.js';

/** The device's own description, as enrolment fixed it. */
export interface DeviceRecord {
  serial: string;
  model: string;
  firmware: string;
  vendor: string;
  label: string;
  createdAt: string;
  /** [device certificate DER, vendor root DER]. */
  chain: Uint8Array[];
}

/** One key pair held by the device. */
export interface StoredKey {
  label: string;
  algorithm: KeyAlgorithm;
  usages: KeyUsage[];
  origin: 'generated';
  createdAt: string;
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

/** Everything the keystore protects. */
export interface KeystorePayload {
  device: DeviceRecord;
  attestationKey: { secretKey: Uint8Array; publicKey: Uint8Array };
  keys: StoredKey[];
}

/**
 * Wipes every private key of a payload. Keys are only needed while a session is open; wiping them
 * when it ends keeps them from lingering in freed memory (best effort: the JS engine and the
 * crypto libraries may hold copies we cannot reach).
 */
export function wipePayload(p: KeystorePayload): void {
  p.attestationKey.secretKey.fill(0);
  for (const k of p.keys) k.secretKey.fill(0);
}

const ALGS: readonly string[] = ['ed25519', 'p256', 'x25519'];
const USAGES: readonly string[] = ['sign', 'derive'];

/** Encodes a payload (the caller wipes the returned bytes). */
export function encodePayload(p: KeystorePayload): Uint8Array {
  return encodeCbor(
    {
      v: 1,
      device: { ...p.device, chain: p.device.chain },
      attestationKey: { secretKey: p.attestationKey.secretKey, publicKey: p.attestationKey.publicKey },
      keys: p.keys.map((k) => ({ ...k, usages: k.usages })),
    },
    { maxDepth: 8 },
  );
}

type CborMapValue = Map<unknown, CborValue>;

function fail(file: string | undefined, path: string, want: string): never {
  throw new MalformedError('HSM_STATE_MALFORMED', `keystore payload: ${path} is not ${want}`, {
    field: path,
    file,
  });
}
function asMap(v: CborValue | undefined, file: string | undefined, path: string): CborMapValue {
  return v instanceof Map ? v : fail(file, path, 'a map');
}
function asList(v: CborValue | undefined, file: string | undefined, path: string): CborValue[] {
  return Array.isArray(v) ? v : fail(file, path, 'an array');
}
function asStr(
  v: CborValue | undefined,
  file: string | undefined,
  path: string,
  allowed?: readonly string[],
): string {
  return typeof v === 'string' && (allowed === undefined || allowed.includes(v))
    ? v
    : fail(file, path, 'a valid string');
}
function asBytes(
  v: CborValue | undefined,
  file: string | undefined,
  path: string,
  length?: number,
): Uint8Array {
  return v instanceof Uint8Array && (length === undefined || v.length === length)
    ? v
    : fail(file, path, length === undefined ? 'a byte string' : `a ${length}-byte string`);
}

/**
 * Decodes and checks a payload. The returned byte strings are fresh copies (codec/), so the
 * caller may wipe `bytes` afterwards.
 * @throws MalformedError `HSM_STATE_MALFORMED` (or a `CBOR_*` code) naming the field.
 */
export function decodePayload(bytes: Uint8Array, file?: string): KeystorePayload {
  const root = asMap(
    decodeCbor(bytes, { maxBytes: 4 << 20, maxDepth: 8, field: 'keystore' }),
    file,
    'payload',
  );
  if (root.get('v') !== 1) fail(file, 'v', 'version 1');
  const d = asMap(root.get('device'), file, 'device');
  const s = (key: string) => asStr(d.get(key), file, `device.${key}`);
  const device: DeviceRecord = {
    serial: s('serial'),
    model: s('model'),
    firmware: s('firmware'),
    vendor: s('vendor'),
    label: s('label'),
    createdAt: s('createdAt'),
    chain: asList(d.get('chain'), file, 'device.chain').map((c, i) => asBytes(c, file, `device.chain[${i}]`)),
  };
  const a = asMap(root.get('attestationKey'), file, 'attestationKey');
  const attestationKey = {
    secretKey: asBytes(a.get('secretKey'), file, 'attestationKey.secretKey', 32),
    publicKey: asBytes(a.get('publicKey'), file, 'attestationKey.publicKey', 65),
  };
  const keys = asList(root.get('keys'), file, 'keys').map((v, i): StoredKey => {
    const k = asMap(v, file, `keys[${i}]`);
    const at = (key: string) => `keys[${i}].${key}`;
    return {
      label: asStr(k.get('label'), file, at('label')),
      algorithm: asStr(k.get('algorithm'), file, at('algorithm'), ALGS) as KeyAlgorithm,
      usages: asList(k.get('usages'), file, at('usages')).map(
        (u, j) => asStr(u, file, `${at('usages')}[${j}]`, USAGES) as KeyUsage,
      ),
      origin: asStr(k.get('origin'), file, at('origin'), ['generated']) as 'generated',
      createdAt: asStr(k.get('createdAt'), file, at('createdAt')),
      secretKey: asBytes(k.get('secretKey'), file, at('secretKey'), 32),
      publicKey: asBytes(k.get('publicKey'), file, at('publicKey')),
    };
  });
  return { device, attestationKey, keys };
}
