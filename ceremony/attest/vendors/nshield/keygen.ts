/**
 * The key generation certificate (`kcmsg`, an M_ModCertMsg of type KeyGen), signed by the module's
 * KML: the generation parameters, the key's ACL and the hash of the generated key. Its existence,
 * verified, is the module's statement that it generated the key.
 *
 * Portable: no `node:` imports.
 */
import type { AclVerdict } from './acl.js';
import { readAcl } from './acl.js';
import type { NcoreKey } from './keys.js';
import { CURVE_P256, CURVE_P521 } from './keys.js';
import { NcoreReader } from './ncore.js';

const MODCERT_KEYGEN = 2;
const KEYTYPE_RSA_PRIVATE = 2;
const KEYTYPE_ECDSA_PRIVATE = 45;
const KEYTYPE_EC_PRIVATE = 47;

/** What the key generation certificate says. */
export interface KeyGeneration {
  /** Requested size (RSA), or the curve's name (ECDSA). */
  parameters: string;
  acl: AclVerdict;
  /** nCore key hash of the generated key. */
  hka: Uint8Array;
}

/**
 * Parses `kcmsg` for `key`: the generation parameters must fit the key's type and curve.
 *
 * @throws MalformedError `NSHIELD_NCORE_INVALID`
 */
export function parseKeyGeneration(
  msg: Uint8Array,
  key: NcoreKey,
  hkm: Uint8Array,
  hknso: Uint8Array,
): KeyGeneration {
  const r: NcoreReader = new NcoreReader(msg, 'kcmsg');
  r.expect(MODCERT_KEYGEN, 'certificate type');
  r.expect(0, 'certificate flags');
  const type = r.u32();
  let parameters: string;
  if (type === KEYTYPE_RSA_PRIVATE && key.type === 'rsa') {
    const flags = r.u32();
    if ((flags & ~7) !== 0) r.fail(`unsupported RSA generation flags 0x${flags.toString(16)}`);
    parameters = `RSA ${r.u32()} bits`;
    if (flags & 1) r.bignum(); // given public exponent
    if (flags & 2) r.u32(); // primality checks
  } else if ((type === KEYTYPE_ECDSA_PRIVATE || type === KEYTYPE_EC_PRIVATE) && key.type === 'ecdsa') {
    const curve = r.u32();
    if (curve !== (key.curve === 'P-256' ? CURVE_P256 : CURVE_P521))
      r.fail('generation curve is not the key curve');
    parameters = `ECDSA ${key.curve}`;
  } else {
    r.fail(`generation parameters of type ${type} do not fit a ${key.type} key`);
  }
  const acl = readAcl(r, hkm, hknso);
  const hka = r.hash();
  r.end();
  return { parameters, acl, hka };
}
