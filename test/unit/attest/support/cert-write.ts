/**
 * A small X.509 certificate writer for test fixtures (RFC 5280 §4.1), on ./der-write.ts and
 * WebCrypto, independent of the library's parser and of the project's certificate builder.
 *
 * It can also write the rule breaks real vendors ship (v1 issuers, serial 0, `critical FALSE`
 * written out, NULL ecdsa parameters), so the chain verifier's named deviations are tested with
 * certificates that differ from a good one in exactly that. (@peculiar/x509 is not used: its
 * Extension class truncates OIDs with arcs above 2^53, like the emulated profile's UUID arc.)
 */
import { bool, integer, octets, oid, seq, tlv, utf8, utcTime, generalizedTime } from './der-write.js';

/** One extension. `critical: false` with `explicit: true` writes the non-DER `critical FALSE`. */
export interface ExtSpec {
  oid: string;
  value: Uint8Array;
  critical?: boolean;
  explicit?: boolean;
}

/** Signs a TBSCertificate; returns the DER of signatureAlgorithm and the signature value. */
export interface TestSigner {
  /** DER SubjectPublicKeyInfo of the signing key. */
  spki: Uint8Array;
  /** AlgorithmIdentifier DER this signer writes. */
  algorithm: Uint8Array;
  sign(tbs: Uint8Array): Promise<Uint8Array>;
}

/** What {@link writeCert} writes. */
export interface CertSpec {
  /** 1 writes no version field and no extensions. Default 3. */
  version?: 1 | 3;
  serial?: number;
  /** The serial's INTEGER content octets as written (overrides `serial`; may be non-positive). */
  serialBytes?: number[];
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  spki: Uint8Array;
  extensions?: ExtSpec[];
  /** Overrides the signer's AlgorithmIdentifier (both copies). */
  algorithm?: Uint8Array;
}

/** `CN=...` Names (a single commonName, UTF8String) are enough for these fixtures. */
export const cnName = (cn: string): Uint8Array => seq(tlv(0x31, [...seq(oid('2.5.4.3'), utf8(cn))]));

/** `notBefore`/`notAfter` as RFC 5280 says: UTCTime through 2049, GeneralizedTime after. */
const time = (d: Date) => (d.getUTCFullYear() < 2050 ? utcTime(d) : generalizedTime(d));

const encodeExt = (e: ExtSpec): Uint8Array =>
  seq(
    oid(e.oid),
    ...(e.critical === true ? [bool(true)] : e.explicit === true ? [bool(false)] : []),
    octets(e.value),
  );

let nextSerial = 1000;

/** Writes and signs a certificate. */
export async function writeCert(spec: CertSpec, signer: TestSigner): Promise<Uint8Array> {
  const alg = spec.algorithm ?? signer.algorithm;
  const v3 = (spec.version ?? 3) === 3;
  const tbs = seq(
    ...(v3 ? [tlv(0xa0, [...integer(2)])] : []),
    spec.serialBytes === undefined ? integer(spec.serial ?? nextSerial++) : tlv(0x02, spec.serialBytes),
    alg,
    cnName(spec.issuer),
    seq(time(spec.notBefore), time(spec.notAfter)),
    cnName(spec.subject),
    spec.spki,
    ...(v3 && spec.extensions !== undefined && spec.extensions.length > 0
      ? [tlv(0xa3, [...seq(...spec.extensions.map(encodeExt))])]
      : []),
  );
  const signature = await signer.sign(tbs);
  return seq(tbs, alg, tlv(0x03, [0, ...signature]));
}

// ---- signers -------------------------------------------------------------------------------

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
/** ecdsa-with-SHA256 with a NULL parameter (the `ecdsa-null-parameters` deviation). */
export const ECDSA_SHA256_NULL = seq(oid('1.2.840.10045.4.3.2'), tlv(0x05, []));
const ED25519 = seq(oid('1.3.101.112'));
const RSA_SHA256 = seq(oid('1.2.840.113549.1.1.11'), tlv(0x05, []));

/** ECDSA `r || s` → DER ECDSA-Sig-Value. */
function ecdsaDer(raw: Uint8Array): Uint8Array {
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const m = b.subarray(i);
    return tlv(0x02, m[0]! & 0x80 ? [0, ...m] : [...m]);
  };
  const half = raw.length / 2;
  return seq(int(raw.subarray(0, half)), int(raw.subarray(half)));
}

/** A signer with a fresh key: `p256` (ECDSA SHA-256), `ed25519`, or `rsa` (2048, PKCS#1 v1.5 SHA-256). */
export async function newSigner(kind: 'p256' | 'ed25519' | 'rsa' = 'p256'): Promise<TestSigner> {
  const params =
    kind === 'p256'
      ? { name: 'ECDSA', namedCurve: 'P-256' }
      : kind === 'ed25519'
        ? { name: 'Ed25519' }
        : {
            name: 'RSASSA-PKCS1-v1_5',
            modulusLength: 2048,
            publicExponent: Uint8Array.of(1, 0, 1),
            hash: 'SHA-256',
          };
  const keys = (await crypto.subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
  const algorithm = kind === 'p256' ? ECDSA_SHA256 : kind === 'ed25519' ? ED25519 : RSA_SHA256;
  return {
    spki,
    algorithm,
    async sign(tbs) {
      const sig = new Uint8Array(
        await crypto.subtle.sign(
          kind === 'p256' ? { name: 'ECDSA', hash: 'SHA-256' } : params,
          keys.privateKey,
          tbs.slice(),
        ),
      );
      return kind === 'p256' ? ecdsaDer(sig) : sig;
    },
  };
}
