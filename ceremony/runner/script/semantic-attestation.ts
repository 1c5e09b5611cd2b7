/**
 * Script rules about vendor attestation files (`keys[].attestation`, docs/ceremony-script.md):
 * the format is a vendor format this library reads from files; the key's HSM is a pkcs11 device
 * that pins the vendor roots the files must verify under; and an HSM's keys are attested all one
 * way (the fleet key set states one attestation level per HSM).
 */
import { EMULATED_FORMAT, INTAKE_FORMATS, findAttestationFormat } from '../../attest/index.js';
import { listOr } from '../../transcript/roles.js';
import type { ScriptPath } from './issues.js';
import type { CeremonyScript } from './types.js';

type Add = (code: string, path: ScriptPath, message: string) => void;

/** The formats `keys[].attestation.format` can name: registered, read from files, not emulated. */
export function vendorAttestationFormats(): string[] {
  return INTAKE_FORMATS.filter((f) => f !== EMULATED_FORMAT && findAttestationFormat(f) !== undefined);
}

/** Adds the issues of every `keys[].attestation` through `add`. */
export function checkVendorAttestations(script: CeremonyScript, add: Add): void {
  const formats = vendorAttestationFormats();
  script.keys.forEach((k, i) => {
    const a = k.attestation;
    if (a === undefined) return;
    const at = ['keys', i, 'attestation'];
    if (a.format !== undefined && !formats.includes(a.format))
      add(
        'SCRIPT_BAD_VALUE',
        [...at, 'format'],
        `keys[${i}].attestation.format can only be ${listOr(formats)} (got "${a.format}")`,
      );
    const j = script.hsms.findIndex((h) => h.id === k.hsm);
    const h = script.hsms[j];
    if (h === undefined) return; // reported as SCRIPT_BAD_REFERENCE
    if (h.backend === 'emulated')
      add(
        'SCRIPT_CONFLICT',
        at,
        `keys[${i}].attestation can only be used on a pkcs11 HSM: ${h.id} is emulated and attests its keys itself`,
      );
    else if (h.vendorRoot === undefined)
      add(
        'SCRIPT_MISSING_FIELD',
        at,
        `keys[${i}].attestation needs hsms[${j}].vendorRoot: the vendor roots the attestation of ${h.id} must verify under`,
      );
  });
  // One attestation level per HSM: its keys all have vendor files, or none has.
  const withFiles = new Map<string, number>();
  script.keys.forEach((k, i) => {
    if (k.attestation !== undefined && !withFiles.has(k.hsm)) withFiles.set(k.hsm, i);
  });
  script.keys.forEach((k, i) => {
    const first = withFiles.get(k.hsm);
    if (first !== undefined && k.attestation === undefined)
      add(
        'SCRIPT_MISSING_FIELD',
        ['keys', i],
        `keys[${i}].attestation is missing: keys[${first}] on ${k.hsm} has vendor attestation files, and every key of one HSM is attested the same way`,
      );
  });
}
