/**
 * Reading and writing `witness.json` (docs/witness.md, "Configuration"). Parsing is strict:
 * unknown fields, wrong types and broken references are all reported at once, with their dotted
 * paths, in one UsageError `WITNESS_CONFIG_INVALID`. {@link formatWitnessConfig} is the inverse.
 */
import { base64Encode, hexEncode } from '../../codec/index.js';
import { UsageError } from '../../errors.js';
import { statementKeyId } from '../../statement/index.js';
import { isValidKeyName, parseVerifierKey } from '../../tlog/index.js';
import { formatNamespaceRoot, limits, namespace, operator, roleKey, statementKey } from './fields.js';
import { JsonReader } from './json.js';
import type { JsonObject } from './json.js';
import { WITNESS_CONFIG_FORMAT } from './types.js';
import type { CosignedLogConfig, KeySource, WitnessConfig } from './types.js';

const TOP = [
  'format',
  'origin',
  'cosignerName',
  'statementKeys',
  'logKey',
  'cosignerKey',
  'operators',
  'namespaces',
];
const TOP_OPTIONAL = ['hsm', 'cosigning', 'limits'];

function list<T>(
  r: JsonReader,
  v: unknown,
  field: string,
  read: (x: unknown, f: string) => T | undefined,
): T[] {
  return (r.array(v, field) ?? [])
    .map((x, i) => read(x, `${field}[${i}]`))
    .filter((x): x is T => x !== undefined);
}

function cosignedLog(r: JsonReader, v: unknown, field: string): CosignedLogConfig | undefined {
  const o = r.object(v, field, ['origin', 'verifierKeys']);
  if (o === undefined) return undefined;
  const origin = r.string(o['origin'], `${field}.origin`);
  const keys = list(r, o['verifierKeys'], `${field}.verifierKeys`, (x, f) => {
    try {
      const vk = parseVerifierKey(String(x));
      if (vk.name !== origin) return r.bad(f, `the key is named ${JSON.stringify(vk.name)}, want the origin`);
      return String(x);
    } catch (e) {
      return r.bad(f, `not a verifier key (${(e as Error).message})`);
    }
  });
  return origin === undefined ? undefined : { origin, verifierKeys: keys };
}

function crossChecks(r: JsonReader, c: Omit<WitnessConfig, 'format'>): void {
  const dup = (names: string[], field: string) =>
    names.forEach(
      (n, i) => names.indexOf(n) !== i && r.bad(`${field}[${i}]`, `duplicate ${JSON.stringify(n)}`),
    );
  dup(
    c.operators.map((o) => o.name),
    'operators',
  );
  dup(
    c.namespaces.map((n) => n.name),
    'namespaces',
  );
  dup(
    c.cosigning.logs.map((l) => l.origin),
    'cosigning.logs',
  );
  dup(
    c.statementKeys.map((k) => String(statementKeyId(k.publicKey))),
    'statementKeys (key id, the last byte)',
  );
  if (c.cosignerName === c.origin)
    r.bad('cosignerName', 'must differ from the origin (the log key is named as the origin)');
  if (c.statementKeys.length === 0) r.bad('statementKeys', 'want at least one key');
  c.statementKeys.forEach((k, i) => {
    const prev = c.statementKeys[i - 1];
    if (prev !== undefined && k.notBefore <= prev.notBefore) {
      r.bad(`statementKeys[${i}].notBefore`, 'want strictly increasing notBefore');
    }
  });
  const known = new Set(c.operators.map((o) => o.name));
  c.namespaces.forEach((n, i) =>
    n.operators.forEach(
      (o, j) => known.has(o) || r.bad(`namespaces[${i}].operators[${j}]`, `no operator ${JSON.stringify(o)}`),
    ),
  );
  const sources: KeySource[] = [
    ...c.statementKeys.map((k) => k.source),
    c.logKey.source,
    c.cosignerKey.source,
  ];
  if (c.hsm === undefined && sources.some((s) => 'pkcs11Label' in s))
    r.bad('hsm', 'missing: a key lives in a PKCS#11 token');
}

/**
 * Parses `witness.json`.
 *
 * @param text - the file's content.
 * @param file - its path, for error messages.
 * @throws UsageError `WITNESS_CONFIG_MALFORMED` (not JSON), `WITNESS_CONFIG_INVALID` (every bad
 *   field listed, the first one as `field`).
 */
export function parseWitnessConfig(text: string, file?: string): WitnessConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(
      'WITNESS_CONFIG_MALFORMED',
      `not JSON: ${(e as Error).message}`,
      file === undefined ? {} : { file },
    );
  }
  const r = new JsonReader(file, 'WITNESS_CONFIG_INVALID');
  const o: JsonObject = r.object(json, 'config', TOP, TOP_OPTIONAL) ?? {};
  if (o['format'] !== WITNESS_CONFIG_FORMAT) r.bad('format', `want ${JSON.stringify(WITNESS_CONFIG_FORMAT)}`);
  const name = (v: unknown, f: string) =>
    typeof v === 'string' && isValidKeyName(v) ? v : r.bad(f, 'want a key name (no spaces, no +)');
  const origin = name(o['origin'], 'origin');
  const cosignerName = name(o['cosignerName'], 'cosignerName');
  let hsm: WitnessConfig['hsm'];
  if (o['hsm'] !== undefined) {
    const h = r.object(o['hsm'], 'hsm', ['module', 'pinEnv'], ['tokenLabel', 'tokenSerial']);
    const module = r.string(h?.['module'], 'hsm.module');
    const pinEnv = r.string(
      h?.['pinEnv'],
      'hsm.pinEnv',
      /^[A-Za-z_][A-Za-z0-9_]*$/,
      'an environment variable name',
    );
    const opt = (k: 'tokenLabel' | 'tokenSerial') =>
      h?.[k] === undefined ? {} : { [k]: r.string(h[k], `hsm.${k}`) ?? '' };
    if (module && pinEnv) hsm = { module, pinEnv, ...opt('tokenLabel'), ...opt('tokenSerial') };
  }
  const statementKeys = list(r, o['statementKeys'], 'statementKeys', (x, f) => statementKey(r, x, f));
  const logKey = roleKey(r, o['logKey'], 'logKey');
  const cosignerKey = roleKey(r, o['cosignerKey'], 'cosignerKey');
  const operators = list(r, o['operators'], 'operators', (x, f) => operator(r, x, f));
  const namespaces = list(r, o['namespaces'], 'namespaces', (x, f) => namespace(r, x, f));
  const cos = o['cosigning'] === undefined ? {} : (r.object(o['cosigning'], 'cosigning', ['logs']) ?? {});
  const logs =
    cos['logs'] === undefined ? [] : list(r, cos['logs'], 'cosigning.logs', (x, f) => cosignedLog(r, x, f));
  const lim = limits(r, o['limits'] ?? {});
  r.done();
  const config: WitnessConfig = {
    format: WITNESS_CONFIG_FORMAT,
    origin: origin!,
    cosignerName: cosignerName!,
    ...(hsm === undefined ? {} : { hsm }),
    statementKeys,
    logKey: logKey!,
    cosignerKey: cosignerKey!,
    operators,
    namespaces,
    cosigning: { logs },
    limits: lim,
  };
  crossChecks(r, config);
  r.done();
  return config;
}

/** `witness.json` text for a configuration: stable key order, hex keys, base64 roots, 2-space JSON. */
export function formatWitnessConfig(c: WitnessConfig): string {
  const key = (k: { publicKey: Uint8Array; source: KeySource }) => ({
    publicKey: hexEncode(k.publicKey),
    source: k.source,
  });
  const json = {
    format: c.format,
    origin: c.origin,
    cosignerName: c.cosignerName,
    ...(c.hsm === undefined ? {} : { hsm: c.hsm }),
    statementKeys: c.statementKeys.map((k) => ({
      publicKey: hexEncode(k.publicKey),
      notBefore: k.notBefore,
      source: k.source,
    })),
    logKey: key(c.logKey),
    cosignerKey: key(c.cosignerKey),
    operators: c.operators.map((o) => ({
      name: o.name,
      algorithm: o.algorithm,
      publicKey: hexEncode(o.publicKey),
    })),
    namespaces: c.namespaces.map((n) => ({
      name: n.name,
      root: formatNamespaceRoot(n.root),
      profile: n.profile,
      online: n.online,
      vendorRoots: n.vendorRoots.map((d) => base64Encode(d)),
      operators: n.operators,
    })),
    cosigning: c.cosigning,
    limits: c.limits,
  };
  return JSON.stringify(json, null, 2) + '\n';
}
