/**
 * Verification of `emulated-x509/v1` key attestations (docs/attestation.md, "emulated-x509/v1
 * verification"): key attestation certificate ← device certificate ← emulated vendor root.
 *
 * Checked, every failure collected: the chain to a pinned root at `options.now` (or at the key
 * certificate's notBefore with `validateAtAttestationTime`); the EMULATED marker on the root (whose
 * subject must also say EMULATED), the device and the key certificate; the profile's extensions,
 * each once, non-critical, of exactly its ASN.1 type (./claims.ts); device facts equal on both
 * certificates; the device certificate a CA with pathLen 0 and the key certificate not a CA; the
 * key algorithm extension matching the SubjectPublicKeyInfo and the usages allowed for it; origin
 * generated, exportable false, sensitive true; the challenge when one is expected.
 *
 * The result's level is always `emulated`: evidence from an emulated HSM proves no hardware, and
 * the production profile refuses it (../policy.ts).
 *
 * Portable: no `node:` imports.
 */
import { sha256 } from '../../crypto/index.js';
import { failure } from '../codes.js';
import { challengeFailures, finish, pathOf, keyPropertyFailures } from '../result.js';
import type {
  AttestationFailure,
  AttestationFormat,
  AttestationResult,
  AttestationVerifyOptions,
  KeyAttestation,
} from '../types.js';
import type { ParsedCertificate } from '../x509/certificate.js';
import { decodeDer } from '../x509/der.js';
import { nameAttribute } from '../x509/name.js';
import { basicConstraints } from '../x509/extensions.js';
import { describeMalformed, signerPath, verifyX509Statement } from '../x509/evidence.js';
import type { SpkiKey } from '../x509/spki.js';
import { parseSpki, publicKeyProblem } from '../x509/spki.js';
import type { EmulatedKeyClaims } from './claims.js';
import { readDeviceClaims, readKeyClaims, readMarker } from './claims.js';
import { EMULATED_FORMAT } from './oids.js';

/** The `emulated-x509/v1` format, as registered in ../registry.ts. */
export const emulatedFormat: AttestationFormat = { id: EMULATED_FORMAT, verify: verifyEmulatedAttestation };

/** Verifies an `emulated-x509/v1` attestation; never throws for bad evidence. */
export async function verifyEmulatedAttestation(
  evidence: KeyAttestation,
  options: AttestationVerifyOptions,
): Promise<AttestationResult> {
  const v = await verifyX509Statement(EMULATED_FORMAT, evidence, options, readLeaf, {
    emulatedRoot: 'allow',
    maxPathLength: 3,
  });
  if ('failed' in v) return v.failed;
  const { leaf, claims, at, timeSource, chain, failures } = v;
  if (chain.complete) failures.push(...profileFailures(chain.path, claims));
  failures.push(...keyFailures(leaf, claims));
  failures.push(
    ...keyPropertyFailures({
      origin: claims.origin ?? 'unknown',
      exportable: claims.exportable,
      sensitive: claims.sensitive,
    }),
    ...challengeFailures(options.expectedChallenge, claims.challenge),
  );
  const root = chain.complete ? chain.path[chain.path.length - 1] : undefined;
  return finish({
    format: EMULATED_FORMAT,
    level: 'emulated',
    vendor: root === undefined ? '' : rootVendorName(root),
    model: claims.model ?? '',
    serial: claims.serial ?? '',
    firmware: claims.firmware ?? '',
    publicKey: { spki: leaf.spki.slice(), sha256: sha256(leaf.spki) },
    origin: claims.origin ?? 'unknown',
    exportable: claims.exportable,
    sensitive: claims.sensitive,
    ...(claims.usages === undefined ? {} : { usages: claims.usages }),
    ...(claims.challenge === undefined ? {} : { challenge: claims.challenge.slice() }),
    chain: chain.path.map((c) => c.subject),
    ...pathOf(signerPath(chain, 1)),
    verificationTime: at,
    verificationTimeSource: timeSource,
    failures,
  });
}

/** The key certificate's claims, and its EMULATED marker. */
function readLeaf(leaf: ParsedCertificate, failures: AttestationFailure[]): EmulatedKeyClaims {
  const claims = readKeyClaims(leaf, failures);
  readMarker(leaf, failures);
  return claims;
}

/** The profile's shape: key ← device ← EMULATED root, markers, device facts, CA flags. */
function profileFailures(path: ParsedCertificate[], claims: EmulatedKeyClaims): AttestationFailure[] {
  const out: AttestationFailure[] = [];
  const [leaf, device, root] = path as [
    ParsedCertificate,
    ParsedCertificate | undefined,
    ParsedCertificate | undefined,
  ];
  if (device === undefined || root === undefined) {
    return [
      failure(
        'ATTEST_CHAIN_UNTRUSTED',
        `the profile needs key ← device ← root; the path has ${path.length} certificate(s)`,
      ),
    ];
  }
  const rootProblems: AttestationFailure[] = [];
  readMarker(root, rootProblems);
  for (const p of rootProblems) out.push(failure('ATTEST_NOT_EMULATED_ROOT', `root: ${p.reason}`));
  if (!root.subject.includes('EMULATED')) {
    out.push(failure('ATTEST_NOT_EMULATED_ROOT', `root subject '${root.subject}' does not say EMULATED`));
  }
  readMarker(device, out);
  const deviceClaims = readDeviceClaims(device, out);
  for (const k of ['serial', 'firmware', 'model'] as const) {
    if (deviceClaims[k] !== undefined && claims[k] !== undefined && deviceClaims[k] !== claims[k]) {
      out.push(
        failure(
          'ATTEST_ATTRIBUTE_MISMATCH',
          `device ${k} ${JSON.stringify(deviceClaims[k])} ≠ key certificate's ${JSON.stringify(claims[k])}`,
        ),
      );
    }
  }
  try {
    if (basicConstraints(device, 'device.basicConstraints')?.pathLen !== 0) {
      out.push(
        failure('ATTEST_EXTENSION_INVALID', `device certificate '${device.subject}' must have pathLen 0`),
      );
    }
    if (basicConstraints(leaf, 'statement.basicConstraints')?.ca === true) {
      out.push(failure('ATTEST_EXTENSION_INVALID', `key certificate '${leaf.subject}' must not be a CA`));
    }
  } catch (e) {
    out.push(failure('ATTEST_MALFORMED', describeMalformed(e)));
  }
  return out;
}

const SPKI_TYPE = { ed25519: 'ed25519', x25519: 'x25519', p256: 'ec' } as const;
const ALLOWED_USAGES = { ed25519: ['sign'], x25519: ['derive'], p256: ['sign', 'derive'] } as const;

/** The attested key: a valid point whose type matches keyAlgorithm, with usages it allows; its label the subject CN. */
function keyFailures(leaf: ParsedCertificate, claims: EmulatedKeyClaims): AttestationFailure[] {
  let key: SpkiKey;
  try {
    key = parseSpki(leaf.spki, 'statement.subjectPublicKeyInfo');
  } catch (e) {
    return [failure('ATTEST_MALFORMED', describeMalformed(e))];
  }
  const out: AttestationFailure[] = [];
  const problem = publicKeyProblem(key);
  if (problem !== undefined) out.push(failure('ATTEST_MALFORMED', problem));
  if (claims.label !== undefined && commonName(leaf) !== claims.label) {
    out.push(
      failure('ATTEST_ATTRIBUTE_MISMATCH', `keyLabel ${JSON.stringify(claims.label)} is not the subject CN`),
    );
  }
  const alg = claims.algorithm;
  if (alg === undefined) return out;
  if (SPKI_TYPE[alg] !== key.type || (key.type === 'ec' && key.curve !== 'P-256')) {
    out.push(
      failure(
        'ATTEST_ATTRIBUTE_MISMATCH',
        `keyAlgorithm says ${alg}, the certified key is ${key.type === 'ec' ? key.curve : key.type}`,
      ),
    );
  }
  const bad = (claims.usages ?? []).filter((u) => !(ALLOWED_USAGES[alg] as readonly string[]).includes(u));
  if (bad.length > 0)
    out.push(failure('ATTEST_ATTRIBUTE_MISMATCH', `a ${alg} key cannot be used to ${bad.join(', ')}`));
  return out;
}

// ---- vendor name ---------------------------------------------------------------------------
// The profile has no vendor extension: an emulated root's commonName is `<vendor> EMULATED Vendor
// Root CA` (ceremony/hsm/emulated/certs.ts), so the vendor is the text before that suffix.

/** The commonName suffix of an emulated vendor root. */
export const ROOT_CN_SUFFIX = ' EMULATED Vendor Root CA';
const COMMON_NAME = '2.5.4.3';

/** The first commonName of a certificate's subject, or undefined. */
function commonName(cert: ParsedCertificate): string | undefined {
  try {
    return nameAttribute(decodeDer(cert.subjectDer, 'subject'), COMMON_NAME, 'subject')[0];
  } catch {
    return undefined;
  }
}

/**
 * The vendor name of an emulated root, e.g. `fleet-ceremony` for
 * `CN=fleet-ceremony EMULATED Vendor Root CA`; the full subject when it has no commonName.
 */
export function rootVendorName(root: ParsedCertificate): string {
  const cn = commonName(root);
  if (cn === undefined) return root.subject;
  return cn.endsWith(ROOT_CN_SUFFIX) && cn.length > ROOT_CN_SUFFIX.length
    ? cn.slice(0, -ROOT_CN_SUFFIX.length)
    : cn;
}
