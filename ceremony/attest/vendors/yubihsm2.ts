/**
 * YubiHSM 2 key attestations (docs/attestation-vendors.md, "YubiHSM 2"): the X.509 certificate a
 * YubiHSM 2 issues for an asymmetric key (command ATTEST ASYMMETRIC), signed by the device
 * attestation key; its chain is the device attestation certificate (opaque object 0) ← the Yubico
 * YubiHSM sub-CA ← the pinned Yubico root.
 *
 * `KeyAttestation`: format `yubihsm2`; `statement` = the key attestation certificate (DER);
 * `chain` = [device certificate, sub-CA(s)], optionally ending with a copy of the root.
 *
 * Checked: the chain at `options.now` (or, with `validateAtAttestationTime`, at the key
 * certificate's notBefore, which YubiHSMs set to a fixed 2017-01-01, not the issue date); every
 * extension of ./yubihsm2-claims.ts present and well-formed; the device certificate's serial and
 * firmware equal the key certificate's; origin `generated` (byte 0x01); exportable = capability
 * `exportable-under-wrap` (a missing capabilities extension is a failure and leaves exportability
 * unknown, never "not exportable"). YubiHSM 2 attestations carry no challenge.
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
import { signerPath, verifyX509Statement } from '../x509/evidence.js';
import { keyAlgorithmName, parseSpki } from '../x509/spki.js';
import {
  EXPORTABLE_UNDER_WRAP_BIT,
  capabilityNames,
  readYubiHsmDeviceClaims,
  readYubiHsmKeyClaims,
  yubiHsmOrigin,
} from './yubihsm2-claims.js';
import type { YubiHsmKeyClaims } from './yubihsm2-claims.js';

/** `KeyAttestation.format` of YubiHSM 2 key attestations. */
export const YUBIHSM2_FORMAT = 'yubihsm2';

/** The YubiHSM 2 format, as registered in ../registry.ts. */
export const yubihsm2Format: AttestationFormat = { id: YUBIHSM2_FORMAT, verify: verifyYubiHsm2Attestation };

/** Verifies a YubiHSM 2 key attestation; never throws for bad evidence. */
export async function verifyYubiHsm2Attestation(
  evidence: KeyAttestation,
  options: AttestationVerifyOptions,
): Promise<AttestationResult> {
  const v = await verifyX509Statement(YUBIHSM2_FORMAT, evidence, options, readYubiHsmKeyClaims);
  if ('failed' in v) return v.failed;
  const { leaf, claims, at, timeSource, chain, failures } = v;
  const device = chain.path[1];
  if (device !== undefined)
    failures.push(...deviceFailures(readYubiHsmDeviceClaims(device, failures), claims, device.subject));
  const origin = yubiHsmOrigin(claims.origin);
  const exportable =
    claims.capabilities === undefined
      ? undefined
      : ((claims.capabilities >> EXPORTABLE_UNDER_WRAP_BIT) & 1n) === 1n;
  failures.push(
    ...keyPropertyFailures(
      { origin, exportable },
      claims.origin === undefined ? '' : `origin byte 0x${hex(claims.origin, 2)}`,
    ),
    ...challengeFailures(options.expectedChallenge, 'unsupported'),
  );
  return finish({
    format: YUBIHSM2_FORMAT,
    level: 'hardware-vendor',
    vendor: 'Yubico',
    model: 'YubiHSM 2',
    serial: claims.serial ?? '',
    firmware: claims.firmware ?? '',
    publicKey: { spki: leaf.spki.slice(), sha256: sha256(leaf.spki) },
    origin,
    exportable,
    // The YubiHSM 2 has no command that reveals an asymmetric private key in plaintext.
    sensitive: true,
    ...(claims.capabilities === undefined ? {} : { usages: capabilityNames(claims.capabilities) }),
    attributes: attributes(claims, leaf.spki),
    chain: chain.path.map((c) => c.subject),
    ...pathOf(signerPath(chain, 1)),
    verificationTime: at,
    verificationTimeSource: timeSource,
    failures,
  });
}

function deviceFailures(
  device: YubiHsmKeyClaims,
  key: YubiHsmKeyClaims,
  subject: string,
): AttestationFailure[] {
  const out: AttestationFailure[] = [];
  for (const k of ['serial', 'firmware'] as const) {
    if (device[k] !== undefined && key[k] !== undefined && device[k] !== key[k]) {
      out.push(
        failure(
          'ATTEST_ATTRIBUTE_MISMATCH',
          `device certificate '${subject}' says ${k} ${device[k]}, the key certificate ${key[k]}`,
        ),
      );
    }
  }
  return out;
}

function attributes(c: YubiHsmKeyClaims, spki: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  try {
    out.algorithm = keyAlgorithmName(parseSpki(spki, 'statement.subjectPublicKeyInfo'));
  } catch {
    out.algorithm = 'unknown';
  }
  if (c.objectId !== undefined) out.objectId = `0x${hex(c.objectId, 4)}`;
  if (c.label !== undefined) out.label = c.label;
  if (c.origin !== undefined) out.origin = `0x${hex(c.origin, 2)}`;
  if (c.domains !== undefined) out.domains = c.domains.join(',');
  if (c.capabilities !== undefined) out.capabilities = `0x${c.capabilities.toString(16).padStart(16, '0')}`;
  return out;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
