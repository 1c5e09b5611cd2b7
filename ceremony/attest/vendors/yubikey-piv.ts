/**
 * YubiKey PIV key attestations (docs/attestation-vendors.md, "YubiKey PIV"): the certificate a
 * YubiKey (firmware 4.3+) issues for the key in a PIV slot, signed by the attestation key in slot
 * F9; its chain is the F9 device certificate ← (intermediates, for the newer Yubico PKI) ← the
 * pinned Yubico PIV root.
 *
 * `KeyAttestation`: format `yubikey-piv`; `statement` = the slot's attestation certificate (DER);
 * `chain` = [F9 device certificate, intermediates...], optionally ending with a copy of the root.
 *
 * Checked: the chain at `options.now` (or at the key certificate's notBefore with
 * `validateAtAttestationTime`; YubiKeys write a fixed 2016-03-14 there); firmware, serial and
 * PIN/touch policy extensions present and well-formed (./yubikey-piv-claims.ts); the F9
 * certificate's firmware, when present, equal to the key certificate's.
 *
 * Origin, exportability and sensitivity are facts of the format, not fields: a YubiKey issues a PIV
 * attestation only for a key generated on the device, never for an imported one, and has no command
 * that exports a PIV private key (Yubico, "PIV attestation statements"). So a verified statement
 * means origin `generated`, exportable false, sensitive true. PIV attestations carry no challenge.
 *
 * Portable: no `node:` imports.
 */
import { sha256 } from '../../crypto/index.js';
import { failure } from '../codes.js';
import { challengeFailures, finish, pathOf } from '../result.js';
import type {
  AttestationFormat,
  AttestationResult,
  AttestationVerifyOptions,
  KeyAttestation,
} from '../types.js';
import { signerPath, verifyX509Statement } from '../x509/evidence.js';
import { decodeDer } from '../x509/der.js';
import { nameAttribute } from '../x509/name.js';
import { keyAlgorithmName, parseSpki } from '../x509/spki.js';
import { readRawExtension } from '../x509/extensions.js';
import type { PivClaims } from './yubikey-piv-claims.js';
import { PIV_OID, formFactorName, pivFirmware, readPivClaims } from './yubikey-piv-claims.js';
import type { ParsedCertificate } from '../x509/certificate.js';

/** `KeyAttestation.format` of YubiKey PIV attestations. */
export const YUBIKEY_PIV_FORMAT = 'yubikey-piv';

/** The YubiKey PIV format, as registered in ../registry.ts. */
export const yubikeyPivFormat: AttestationFormat = {
  id: YUBIKEY_PIV_FORMAT,
  verify: verifyYubiKeyPivAttestation,
};

/** Verifies a YubiKey PIV attestation; never throws for bad evidence. */
export async function verifyYubiKeyPivAttestation(
  evidence: KeyAttestation,
  options: AttestationVerifyOptions,
): Promise<AttestationResult> {
  const v = await verifyX509Statement(YUBIKEY_PIV_FORMAT, evidence, options, readPivClaims);
  if ('failed' in v) return v.failed;
  const { leaf, claims, at, timeSource, chain, failures } = v;
  const device = chain.path[1];
  if (device !== undefined) {
    const fw = readRawExtension(
      device,
      { oid: PIV_OID.firmware, name: 'firmware', required: false },
      pivFirmware,
      failures,
    );
    if (fw !== undefined && claims.firmware !== undefined && fw !== claims.firmware) {
      failures.push(
        failure(
          'ATTEST_ATTRIBUTE_MISMATCH',
          `F9 certificate '${device.subject}' says firmware ${fw}, the key certificate ${claims.firmware}`,
        ),
      );
    }
  }
  failures.push(...challengeFailures(options.expectedChallenge, 'unsupported'));
  return finish({
    format: YUBIKEY_PIV_FORMAT,
    level: 'hardware-vendor',
    vendor: 'Yubico',
    model: claims.formFactor === undefined ? 'YubiKey' : `YubiKey (${formFactorName(claims.formFactor)})`,
    serial: claims.serial ?? '',
    firmware: claims.firmware ?? '',
    publicKey: { spki: leaf.spki.slice(), sha256: sha256(leaf.spki) },
    origin: 'generated',
    exportable: false,
    sensitive: true,
    attributes: attributes(claims, leaf),
    chain: chain.path.map((c) => c.subject),
    ...pathOf(signerPath(chain, 1)),
    verificationTime: at,
    verificationTimeSource: timeSource,
    failures,
  });
}

const SLOT_CN = /^YubiKey PIV Attestation ([0-9a-f]{2})$/;

function attributes(c: PivClaims, leaf: ParsedCertificate): Record<string, string> {
  const out: Record<string, string> = {};
  try {
    out.algorithm = keyAlgorithmName(parseSpki(leaf.spki, 'statement.subjectPublicKeyInfo'));
  } catch {
    out.algorithm = 'unknown';
  }
  try {
    const cn = nameAttribute(decodeDer(leaf.subjectDer, 'subject'), '2.5.4.3', 'subject')[0] ?? '';
    const slot = SLOT_CN.exec(cn)?.[1];
    if (slot !== undefined) out.slot = slot;
  } catch {
    // The subject was parsed with the certificate; a slot that cannot be read is just not reported.
  }
  if (c.pinPolicy !== undefined) out.pinPolicy = c.pinPolicy;
  if (c.touchPolicy !== undefined) out.touchPolicy = c.touchPolicy;
  if (c.formFactor !== undefined) out.formFactor = `0x${c.formFactor.toString(16).padStart(2, '0')}`;
  return out;
}
