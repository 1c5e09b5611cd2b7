/**
 * The nShield key attestation bundle: the JSON object `nfkmattest` writes, whose fields are
 * base64url (with padding) nCore or DDDS structures. This module reads it into bytes, strictly:
 * every field known, each required one present, nothing else.
 *
 * Portable: no `node:` imports.
 */
import { base64Decode } from '../../../codec/index.js';
import { MalformedError } from '../../../errors.js';
import { readFlatJson } from './json.js';
import { readKeyHashEx } from './ncore.js';

/** The bundle's fields as bytes (hashes already unwrapped from their M_KeyHashEx). */
export interface NshieldBundle {
  root: string;
  ciphersuite: string;
  warrant: Uint8Array;
  modstatemsg: Uint8Array;
  modstatesig: Uint8Array;
  knsopub: Uint8Array;
  hkm: Uint8Array;
  hkmc: Uint8Array;
  /** CertKMaKMCbKNSO, or CertKMaKMCaKFIPSbKNSO when `hkfips` is set. */
  worldCert: Uint8Array;
  hkfips: Uint8Array | undefined;
  /** CertKREaKRAbKNSO with hkre and hkra, when the world has a recovery key. */
  recovery: { cert: Uint8Array; hkre: Uint8Array; hkra: Uint8Array } | undefined;
  kcmsg: Uint8Array;
  kcsig: Uint8Array;
  pubkeydata: Uint8Array;
}

const REQUIRED = [
  'root',
  'ciphersuite',
  'warrant',
  'modstatemsg',
  'modstatesig',
  'knsopub',
  'hkm',
  'hkmc',
  'kcmsg',
  'kcsig',
  'pubkeydata',
];
const OPTIONAL = ['CertKMaKMCbKNSO', 'CertKMaKMCaKFIPSbKNSO', 'hkfips', 'CertKREaKRAbKNSO', 'hkre', 'hkra'];

function fail(field: string, reason: string): never {
  throw new MalformedError('NSHIELD_BUNDLE_MALFORMED', `${field}: ${reason}`, { field });
}

/** base64url with padding (RFC 4648 §5), canonical: decoded by the strict base64 decoder. */
function b64url(fields: Map<string, string>, name: string): Uint8Array {
  const text = fields.get(name);
  if (text === undefined) fail(name, 'missing');
  if (/[+/]/.test(text)) fail(name, 'not base64url');
  try {
    return base64Decode(text.replace(/-/g, '+').replace(/_/g, '/'), name);
  } catch (e) {
    fail(name, (e as Error).message);
  }
}

/**
 * Reads a bundle.
 *
 * @throws MalformedError `NSHIELD_BUNDLE_MALFORMED` for bad JSON, an unknown, missing or
 *   inconsistent field; `NSHIELD_NCORE_INVALID` for a bad key hash.
 */
export function readBundle(bytes: Uint8Array): NshieldBundle {
  const fields = readFlatJson(bytes);
  for (const k of fields.keys()) if (!REQUIRED.includes(k) && !OPTIONAL.includes(k)) fail(k, 'unknown field');
  for (const k of REQUIRED) if (!fields.has(k)) fail(k, 'missing');
  const fips = fields.has('CertKMaKMCaKFIPSbKNSO');
  if (fips === fields.has('CertKMaKMCbKNSO'))
    fail('CertKMaKMCbKNSO', 'exactly one world binding certificate is required');
  if (fips !== fields.has('hkfips'))
    fail('hkfips', 'present exactly when the FIPS world binding certificate is');
  const recoveryFields = ['CertKREaKRAbKNSO', 'hkre', 'hkra'].filter((k) => fields.has(k));
  if (recoveryFields.length !== 0 && recoveryFields.length !== 3)
    fail('CertKREaKRAbKNSO', 'needs hkre and hkra, and they need it');
  const hash = (name: string): Uint8Array => readKeyHashEx(b64url(fields, name), name);
  return {
    root: fields.get('root')!,
    ciphersuite: fields.get('ciphersuite')!,
    warrant: b64url(fields, 'warrant'),
    modstatemsg: b64url(fields, 'modstatemsg'),
    modstatesig: b64url(fields, 'modstatesig'),
    knsopub: b64url(fields, 'knsopub'),
    hkm: hash('hkm'),
    hkmc: hash('hkmc'),
    worldCert: b64url(fields, fips ? 'CertKMaKMCaKFIPSbKNSO' : 'CertKMaKMCbKNSO'),
    hkfips: fips ? hash('hkfips') : undefined,
    recovery:
      recoveryFields.length === 3
        ? { cert: b64url(fields, 'CertKREaKRAbKNSO'), hkre: hash('hkre'), hkra: hash('hkra') }
        : undefined,
    kcmsg: b64url(fields, 'kcmsg'),
    kcsig: b64url(fields, 'kcsig'),
    pubkeydata: b64url(fields, 'pubkeydata'),
  };
}
