/**
 * The claims of a QASM attestation message. Each claim is
 * `SEQUENCE { type OBJECT IDENTIFIER, [0] { [0] subject-uuid } OPTIONAL, [1] { value } OPTIONAL }`
 * where the value is one of `[0]` bytes (a UUID, an SPKI), `[1]` text, `[2]` GeneralizedTime text,
 * `[3]` an unsigned integer. A claim without a value asserts its type of its subject (or the HSM).
 *
 * Types are under 1.3.6.1.4.1.39901.6 as the sample encodes them (the PKI Consortium page lists
 * them one arc deeper, e.g. `…6.1.1.0` for what the message writes as `…6.1.0`):
 * `.1.0` qasm-uuid, `.1.1` serial, `.1.2` attestation time, `.1.3` firmware, `.1.4` certified
 * production, `.1.5` FIPS mode, `.2.0` attestation keys unique, `.2.1` key SPKI, `.2.4` object class
 * (4 = private key), `.2.5` object type, `.2.6` keystore, `.2.7` key confined, `.2.8` key
 * hardware-generated, `.2.9` key never extracted, `.2.13` / `.2.14` has / lacks capability.
 *
 * Portable: no `node:` imports.
 */
import type { DerElement } from '../../x509/der.js';
import { derError, derSequence, expectTag } from '../../x509/der.js';
import { derOid } from '../../x509/der-values.js';

/** The claim-type arc, as the message encodes it. */
export const ARC = '1.3.6.1.4.1.39901.6';
/** The claim types this verifier reads. */
export const CLAIM = {
  qasmUuid: `${ARC}.1.0`,
  serial: `${ARC}.1.1`,
  attestationTime: `${ARC}.1.2`,
  firmware: `${ARC}.1.3`,
  certifiedProduction: `${ARC}.1.4`,
  keysUnique: `${ARC}.2.0`,
  keySpki: `${ARC}.2.1`,
  objectClass: `${ARC}.2.4`,
  confined: `${ARC}.2.7`,
  hardwareGenerated: `${ARC}.2.8`,
  neverExtracted: `${ARC}.2.9`,
} as const;
/** Claim types that may appear more than once per subject: has / lacks capability (one per capability). */
const REPEATABLE = new Set([`${ARC}.2.13`, `${ARC}.2.14`]);
/** Object class value of a private key. */
export const CLASS_PRIVATE_KEY = 4n;

/** A claim's value, by its context tag. */
export type ClaimValue = { bytes: Uint8Array } | { text: string } | { time: string } | { uint: bigint };

/** One claim. */
export interface Claim {
  type: string;
  /** The subject object's UUID (16 bytes), or undefined for a claim about the HSM itself. */
  subject: Uint8Array | undefined;
  value: ClaimValue | undefined;
}

function ascii(el: DerElement, field: string): string {
  for (const c of el.content) if (c < 0x20 || c > 0x7e) throw derError(field, 'not printable ASCII');
  return String.fromCharCode(...el.content);
}

function value(el: DerElement, field: string): ClaimValue {
  const [v] = derSequence(el, field, 1, 1, 0xa1) as [DerElement];
  switch (v.tag) {
    case 0x80:
      return { bytes: v.content };
    case 0x81:
      return { text: ascii(v, field) };
    case 0x82:
      return { time: ascii(v, field) };
    case 0x83: {
      const c = v.content;
      if (c.length === 0 || c.length > 8 || (c[0] === 0 && c.length > 1))
        throw derError(field, 'not a minimal unsigned integer');
      return { uint: c.reduce((n, b) => (n << 8n) | BigInt(b), 0n) };
    }
    default:
      throw derError(field, `unknown value tag 0x${v.tag.toString(16)}`);
  }
}

/**
 * Reads the claim list. A claim type may appear once per subject (capabilities excepted), so that
 * no two claims can say different things about the same fact.
 *
 * @throws MalformedError `ATTEST_MALFORMED`
 */
export function readClaims(list: readonly DerElement[]): Claim[] {
  const claims = list.map((el, i): Claim => {
    const f = `claims[${i}]`;
    const items = derSequence(el, f, 1, 3);
    const type = derOid(items[0]!, `${f}.type`);
    let subject: Uint8Array | undefined;
    let v: ClaimValue | undefined;
    let n = 1;
    if (items[n]?.tag === 0xa0) {
      const [s] = derSequence(items[n]!, `${f}.subject`, 1, 1, 0xa0) as [DerElement];
      expectTag(s, 0x80, `${f}.subject`);
      if (s.content.length !== 16) throw derError(`${f}.subject`, 'a UUID is 16 bytes');
      subject = s.content;
      n++;
    }
    if (items[n]?.tag === 0xa1) v = value(items[n++]!, `${f}.value`);
    if (n !== items.length) throw derError(f, 'unexpected element');
    return { type, subject, value: v };
  });
  const seen = new Set<string>();
  for (const [i, c] of claims.entries()) {
    if (REPEATABLE.has(c.type)) continue;
    const key = `${c.type}/${c.subject === undefined ? '' : Array.from(c.subject).join(',')}`;
    if (seen.has(key)) throw derError(`claims[${i}]`, `claim ${c.type} repeated for the same subject`);
    seen.add(key);
  }
  return claims;
}
