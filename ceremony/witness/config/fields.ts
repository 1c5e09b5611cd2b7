/**
 * Readers of the parts of `witness.json` (docs/witness.md, "Configuration"): each records its
 * problems in the {@link JsonReader} and returns undefined for a part it could not read.
 */
import { formatDecimal, hexDecode, hexEncode, parseDecimal } from '../../codec/index.js';
import { UsageError } from '../../errors.js';
import type { JsonReader } from './json.js';
import { DEFAULT_LIMITS } from './types.js';
import type {
  KeySource,
  NamespaceConfig,
  NamespaceRoot,
  OperatorConfig,
  RoleKeyConfig,
  StatementKeyConfig,
  WitnessLimits,
} from './types.js';

/** Namespace names: as the fleet key set allows (1–128 ASCII, letter or digit first). */
export const NAMESPACE_NAME = /^[A-Za-z0-9][A-Za-z0-9._~:/@+-]{0,127}$/;
/** Operator names: 1–64 ASCII letters, digits and `._-`, letter or digit first. */
export const OPERATOR_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const KEY_FILE = /^keys\/[A-Za-z0-9._-]{1,64}$/;
const LABEL = /^[\x21-\x7e]{1,64}$/;

/** A key source: `{ file }` or `{ pkcs11Label }`. */
export function keySource(r: JsonReader, v: unknown, field: string): KeySource | undefined {
  const o = r.object(v, field, [], ['file', 'pkcs11Label']);
  if (o === undefined) return undefined;
  if ('file' in o === 'pkcs11Label' in o) return r.bad(field, 'want exactly one of file, pkcs11Label');
  if ('file' in o) {
    const file = r.string(
      o['file'],
      `${field}.file`,
      KEY_FILE,
      'keys/<name> (relative to the data directory)',
    );
    return file === undefined ? undefined : { file };
  }
  const label = r.string(o['pkcs11Label'], `${field}.pkcs11Label`, LABEL, '1-64 printable ASCII characters');
  return label === undefined ? undefined : { pkcs11Label: label };
}

/** A key with a public half and a source. */
export function roleKey(r: JsonReader, v: unknown, field: string): RoleKeyConfig | undefined {
  const o = r.object(v, field, ['publicKey', 'source']);
  if (o === undefined) return undefined;
  const publicKey = r.hex(o['publicKey'], `${field}.publicKey`, [32]);
  const source = keySource(r, o['source'], `${field}.source`);
  return publicKey && source ? { publicKey, source } : undefined;
}

/** A statement key: public key, `notBefore` (ms) and source. */
export function statementKey(r: JsonReader, v: unknown, field: string): StatementKeyConfig | undefined {
  const o = r.object(v, field, ['publicKey', 'notBefore', 'source']);
  if (o === undefined) return undefined;
  const key = roleKey(r, { publicKey: o['publicKey'], source: o['source'] }, field);
  const notBefore = r.integer(o['notBefore'], `${field}.notBefore`, 0, Number.MAX_SAFE_INTEGER);
  return key && notBefore !== undefined ? { ...key, notBefore } : undefined;
}

/** A registered operator: name, algorithm, public key (hex). */
export function operator(r: JsonReader, v: unknown, field: string): OperatorConfig | undefined {
  const o = r.object(v, field, ['name', 'algorithm', 'publicKey']);
  if (o === undefined) return undefined;
  const name = r.string(o['name'], `${field}.name`, OPERATOR_NAME, '1-64 of A-Z a-z 0-9 . _ -');
  const algorithm = r.oneOf(o['algorithm'], `${field}.algorithm`, ['ed25519', 'p256'] as const);
  const publicKey = r.hex(o['publicKey'], `${field}.publicKey`, algorithm === 'p256' ? [65] : [32]);
  return name && algorithm && publicKey ? { name, algorithm, publicKey } : undefined;
}

/** Parses `genesis` or `<epoch>/<64 hex digest>` (Plexi's root notation). */
export function parseNamespaceRoot(text: string, field = 'root'): NamespaceRoot {
  if (text === 'genesis') return 'genesis';
  const m = /^([0-9]+)\/([0-9a-f]{64})$/.exec(text);
  if (m === null) {
    throw new UsageError(
      'WITNESS_NAMESPACE_INVALID',
      `${field}: want "genesis" or "<epoch>/<64 hex digits>"`,
      { field },
    );
  }
  const epoch = parseDecimal(m[1]!, `${field}.epoch`);
  if (epoch < 1n)
    throw new UsageError('WITNESS_NAMESPACE_INVALID', `${field}: the epoch must be at least 1`, { field });
  return { epoch, digest: hexDecode(m[2]!, `${field}.digest`, 32) };
}

/** The text form of a namespace root (inverse of {@link parseNamespaceRoot}). */
export function formatNamespaceRoot(root: NamespaceRoot): string {
  return root === 'genesis' ? 'genesis' : `${formatDecimal(root.epoch)}/${hexEncode(root.digest)}`;
}

/** A namespace entry. */
export function namespace(r: JsonReader, v: unknown, field: string): NamespaceConfig | undefined {
  const o = r.object(v, field, ['name', 'root', 'profile', 'online', 'vendorRoots', 'operators']);
  if (o === undefined) return undefined;
  const name = r.string(
    o['name'],
    `${field}.name`,
    NAMESPACE_NAME,
    'a namespace (1-128 of A-Z a-z 0-9 . _ ~ : / @ + -)',
  );
  let root: NamespaceRoot | undefined;
  try {
    root = parseNamespaceRoot(String(o['root']), `${field}.root`);
  } catch (e) {
    r.bad(`${field}.root`, (e as Error).message.replace(/^[^:]*: /, ''));
  }
  const profile = r.oneOf(o['profile'], `${field}.profile`, ['production', 'rehearsal'] as const);
  const online = r.boolean(o['online'], `${field}.online`);
  const roots = (r.array(o['vendorRoots'], `${field}.vendorRoots`, 64) ?? []).map((x, i) =>
    r.base64(x, `${field}.vendorRoots[${i}]`),
  );
  const ops = (r.array(o['operators'], `${field}.operators`, 256) ?? []).map((x, i) =>
    r.string(x, `${field}.operators[${i}]`, OPERATOR_NAME, 'an operator name'),
  );
  if (!name || !root || !profile || online === undefined) return undefined;
  if (roots.some((x) => x === undefined) || ops.some((x) => x === undefined)) return undefined;
  return { name, root, profile, online, vendorRoots: roots as Uint8Array[], operators: ops as string[] };
}

/** The `limits` object; missing values take {@link DEFAULT_LIMITS}. */
export function limits(r: JsonReader, v: unknown): WitnessLimits {
  const o = r.object(v, 'limits', [], Object.keys(DEFAULT_LIMITS)) ?? {};
  const get = (k: keyof WitnessLimits, min: number, max: number): number =>
    k in o ? (r.integer(o[k], `limits.${k}`, min, max) ?? DEFAULT_LIMITS[k]) : DEFAULT_LIMITS[k];
  return {
    maxBodyBytes: get('maxBodyBytes', 1024, 64 * 1024 * 1024),
    requestsPerMinute: get('requestsPerMinute', 1, 100_000),
    burst: get('burst', 1, 100_000),
    clockSkewSeconds: get('clockSkewSeconds', 1, 86_400),
    maxValidityDays: get('maxValidityDays', 1, 36_500),
  };
}
