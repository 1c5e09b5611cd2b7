/**
 * The registry of attestation formats: `KeyAttestation.format` → the verifier for it.
 *
 * The built-in formats are registered when this module loads. A format id can be registered once:
 * a plug-in cannot replace a built-in verifier (or another plug-in's) with a more lenient one.
 *
 * Portable: no `node:` imports.
 */
import { UsageError } from '../errors.js';
import { emulatedFormat } from './emulated/verify.js';
import { pkcs11AttributesFormat } from './pkcs11-attributes/index.js';
import type { AttestationFormat } from './types.js';
import { yubihsm2Format } from './vendors/yubihsm2.js';
import { yubikeyPivFormat } from './vendors/yubikey-piv.js';
import { crypto4aFormat } from './vendors/crypto4a/index.js';
import { fortanixFormat } from './vendors/fortanix/index.js';
import { lunaFormat } from './vendors/luna/index.js';
import { marvellFormat } from './vendors/marvell/index.js';
import { nshieldFormat } from './vendors/nshield/index.js';
import { securosysFormat } from './vendors/securosys/index.js';

/**
 * The formats this library verifies out of the box.
 */
const BUILTIN_FORMATS: readonly AttestationFormat[] = [
  emulatedFormat, // emulated-x509/v1: rehearsal only (level `emulated`)
  pkcs11AttributesFormat, // pkcs11-attributes/v1: token attribute statements
  // ---- real vendor formats, ceremony/attest/vendors/ -------------------------------------------
  yubihsm2Format, // yubihsm2
  yubikeyPivFormat, // yubikey-piv
  marvellFormat, // marvell-liquidsecurity (Google Cloud HSM, Azure Managed HSM)
  lunaFormat, // thales-luna
  securosysFormat, // securosys-primus
  crypto4aFormat, // crypto4a-qasm
  nshieldFormat, // entrust-nshield
  fortanixFormat, // fortanix-dsm
  // ---- end of vendor formats -------------------------------------------------------------------
];

/** Format ids: lowercase letters, digits, `-`, `.`, `/`; 1–64 characters. */
const FORMAT_ID = /^[a-z0-9][a-z0-9./-]{0,63}$/;

const formats = new Map<string, AttestationFormat>();

/**
 * Registers a verifier for `format.id`.
 *
 * @throws UsageError `ATTEST_FORMAT_INVALID` for an id outside `[a-z0-9./-]{1,64}` or a format
 *   without a `verify` function; `ATTEST_FORMAT_DUPLICATE` when the id is already registered.
 * @example registerAttestationFormat({ id: 'acme-hsm/v2', verify: verifyAcme })
 */
export function registerAttestationFormat(format: AttestationFormat): void {
  if (typeof format?.id !== 'string' || !FORMAT_ID.test(format.id) || typeof format.verify !== 'function') {
    throw new UsageError(
      'ATTEST_FORMAT_INVALID',
      `attestation format ${JSON.stringify(format?.id)} is not a valid plug-in`,
      {
        field: 'format.id',
      },
    );
  }
  if (formats.has(format.id)) {
    throw new UsageError('ATTEST_FORMAT_DUPLICATE', `attestation format ${format.id} is already registered`, {
      field: 'format.id',
    });
  }
  formats.set(format.id, format);
}

/** Every registered format, sorted by id. */
export function attestationFormats(): AttestationFormat[] {
  return [...formats.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The format registered under `id`, or undefined. */
export function findAttestationFormat(id: string): AttestationFormat | undefined {
  return formats.get(id);
}

for (const format of BUILTIN_FORMATS) registerAttestationFormat(format);
