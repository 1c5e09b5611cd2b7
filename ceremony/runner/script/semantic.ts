/**
 * The rules of a ceremony script beyond its JSON Schema: unique ids, references that resolve,
 * the quorum, backend-specific HSM fields, what each kind of ceremony allows, and the order of
 * steps. Every rule adds an issue naming the path and the allowed values; nothing is thrown.
 */
import { canonicalSerial } from '../../attest/policy.js';
import { hexDecode } from '../../codec/index.js';
import { checkPublicKey } from '../../crypto/index.js';
import { listOr } from '../../transcript/roles.js';
import type { Role } from '../../transcript/roles.js';
import type { PendingIssue, ScriptPath } from './issues.js';
import type { CeremonyScript, ScriptStep } from './types.js';
import { checkVendorAttestations } from './semantic-attestation.js';
import { checkStepRules } from './semantic-steps.js';

export { requiredCount } from './semantic-steps.js';

/** Extra checks for one step, supplied by its step kind (the registry). */
export type StepCheck = (step: ScriptStep, index: number, script: CeremonyScript) => PendingIssue[];

/** Every semantic problem of a schema-valid script. */
export function semanticIssues(script: CeremonyScript, checkStep?: StepCheck): PendingIssue[] {
  const out: PendingIssue[] = [];
  const add = (code: string, path: ScriptPath, message: string) => out.push({ code, path, message });
  const kind = script.ceremony.kind;

  unique(
    script.participants.map((p) => p.id),
    ['participants'],
    'id',
    add,
  );
  unique(
    script.hsms.map((h) => h.id),
    ['hsms'],
    'id',
    add,
  );
  // Decimal serials compare as numbers (`01234567` is `1234567`): one device, however it is spelled.
  unique(
    script.hsms.map((h) => canonicalSerial(h.expectedSerial)),
    ['hsms'],
    'expectedSerial',
    add,
  );
  unique(
    script.steps.map((s) => s.id),
    ['steps'],
    'id',
    add,
  );

  // Validity: days, or both dates in order.
  const v = script.ceremony.validity;
  const vp = ['ceremony', 'validity'];
  if (v.days !== undefined && (v.notBefore !== undefined || v.notAfter !== undefined))
    add('SCRIPT_CONFLICT', vp, 'ceremony.validity takes either days or notBefore and notAfter, not both');
  else if (v.days === undefined && (v.notBefore === undefined || v.notAfter === undefined))
    add('SCRIPT_MISSING_FIELD', vp, 'ceremony.validity needs days, or both notBefore and notAfter');
  else if (v.notBefore !== undefined && v.notAfter !== undefined) {
    const a = Date.parse(v.notBefore);
    const b = Date.parse(v.notAfter);
    if (Number.isNaN(a))
      add('SCRIPT_BAD_FORMAT', [...vp, 'notBefore'], 'ceremony.validity.notBefore is not a real date');
    else if (Number.isNaN(b))
      add('SCRIPT_BAD_FORMAT', [...vp, 'notAfter'], 'ceremony.validity.notAfter is not a real date');
    else if (b <= a)
      add('SCRIPT_BAD_VALUE', [...vp, 'notAfter'], 'ceremony.validity.notAfter must be after notBefore');
  }

  // Participants and their identities.
  const keys = new Map<string, number>();
  script.participants.forEach((p, i) => {
    const at = ['participants', i];
    if (p.publicKey === undefined && p.keyFile === undefined && p.token === undefined)
      add(
        'SCRIPT_MISSING_FIELD',
        at,
        `participants[${i}] (${p.id}) needs an identity: publicKey, keyFile or token`,
      );
    if (p.keyFile !== undefined && p.token !== undefined)
      add('SCRIPT_CONFLICT', [...at, 'token'], `participants[${i}] takes either keyFile or token, not both`);
    if (p.keyFile !== undefined && kind !== 'rehearsal')
      add(
        'SCRIPT_BAD_VALUE',
        [...at, 'keyFile'],
        `participants[${i}].keyFile can only be used in a rehearsal; in a ${kind}, participants sign with their own token or bring their key at sign-off`,
      );
    if (p.token !== undefined) deviceFields(p.token, [...at, 'token'], `participants[${i}].token`, add);
    if (p.publicKey !== undefined) {
      try {
        checkPublicKey('ed25519', hexDecode(p.publicKey), 'publicKey');
      } catch {
        add(
          'SCRIPT_BAD_KEY',
          [...at, 'publicKey'],
          `participants[${i}].publicKey is not a valid Ed25519 public key`,
        );
      }
      const other = keys.get(p.publicKey);
      if (other !== undefined)
        add(
          'SCRIPT_DUPLICATE_KEY',
          [...at, 'publicKey'],
          `participants[${i}].publicKey is the same key as participants[${other}]: every participant has their own key`,
        );
      else keys.set(p.publicKey, i);
    }
  });
  const holders = (role: Role) => script.participants.filter((p) => p.role === role).length;
  if (holders('administrator') === 0)
    add('SCRIPT_MISSING_ROLE', ['participants'], 'participants must include an administrator');

  // Quorum.
  const officers = holders('crypto-officer');
  if (script.quorum.threshold > script.quorum.of)
    add(
      'SCRIPT_QUORUM_INVALID',
      ['quorum', 'threshold'],
      `quorum.threshold (${script.quorum.threshold}) can be at most quorum.of (${script.quorum.of})`,
    );
  if (script.quorum.of !== officers)
    add(
      'SCRIPT_QUORUM_INVALID',
      ['quorum', 'of'],
      `quorum.of (${script.quorum.of}) must equal the number of crypto officers in participants (${officers})`,
    );

  // HSMs, keys, operator key.
  const hsmIds = script.hsms.map((h) => h.id);
  script.hsms.forEach((h, i) => {
    deviceFields(h, ['hsms', i], `hsms[${i}]`, add);
    if (h.backend === 'emulated' && kind !== 'rehearsal')
      add(
        'SCRIPT_BAD_VALUE',
        ['hsms', i, 'backend'],
        `hsms[${i}].backend can only be pkcs11 in a ${kind} (emulated HSMs are for rehearsals)`,
      );
  });
  const labels = new Map<string, number>();
  script.keys.forEach((k, i) => {
    if (!hsmIds.includes(k.hsm))
      add(
        'SCRIPT_BAD_REFERENCE',
        ['keys', i, 'hsm'],
        `keys[${i}].hsm can only be one of the HSM ids: ${listOr(hsmIds)} (got "${k.hsm}")`,
      );
    const allowed = k.role === 'session' ? ['x25519', 'p256'] : ['ed25519', 'p256'];
    if (!allowed.includes(k.algorithm))
      add(
        'SCRIPT_BAD_VALUE',
        ['keys', i, 'algorithm'],
        `keys[${i}].algorithm can only be ${listOr(allowed)} for a ${k.role} key (got "${k.algorithm}")`,
      );
    const id = `${k.hsm}\0${k.label}`;
    const other = labels.get(id);
    if (other !== undefined)
      add(
        'SCRIPT_DUPLICATE_ID',
        ['keys', i, 'label'],
        `keys[${i}].label "${k.label}" is already used on ${k.hsm} by keys[${other}]`,
      );
    else labels.set(id, i);
  });
  checkVendorAttestations(script, add);
  const op = script.operator;
  if (!hsmIds.includes(op.hsm))
    add(
      'SCRIPT_BAD_REFERENCE',
      ['operator', 'hsm'],
      `operator.hsm can only be one of the HSM ids: ${listOr(hsmIds)} (got "${op.hsm}")`,
    );
  else if (labels.has(`${op.hsm}\0${op.label}`))
    add(
      'SCRIPT_DUPLICATE_ID',
      ['operator', 'label'],
      `operator.label "${op.label}" is also a fleet key label on ${op.hsm}`,
    );

  // Witness and previous epoch, per kind of ceremony.
  const url = script.witness.url;
  if (kind !== 'rehearsal' && !url.startsWith('https://'))
    add(
      'SCRIPT_BAD_VALUE',
      ['witness', 'url'],
      `witness.url can only be an https:// URL in a ${kind} (local-rehearsal and http:// are for rehearsals)`,
    );
  if (kind === 'rotation' && script.previous === undefined)
    add(
      'SCRIPT_MISSING_FIELD',
      ['previous'],
      'previous is required in a rotation: the evidence package of the epoch before',
    );
  if (kind !== 'rotation' && script.previous !== undefined)
    add('SCRIPT_BAD_VALUE', ['previous'], `previous can only be given in a rotation (this is a ${kind})`);
  if (kind === 'rotation' && script.ceremony.epoch < 2)
    add('SCRIPT_OUT_OF_RANGE', ['ceremony', 'epoch'], 'ceremony.epoch must be at least 2 in a rotation');
  if (script.outputs.workdir === script.outputs.evidence)
    add('SCRIPT_CONFLICT', ['outputs', 'evidence'], 'outputs.evidence must differ from outputs.workdir');

  checkStepRules(script, add, holders);
  if (checkStep !== undefined) script.steps.forEach((s, i) => out.push(...checkStep(s, i, script)));
  return out;
}

type Add = (code: string, path: ScriptPath, message: string) => void;

function unique(values: string[], base: ScriptPath, field: string, add: Add): void {
  const seen = new Map<string, number>();
  values.forEach((v, i) => {
    const j = seen.get(v);
    if (j !== undefined)
      add(
        'SCRIPT_DUPLICATE_ID',
        [...base, i, field],
        `${String(base[0])}[${i}].${field} "${v}" is already used by ${String(base[0])}[${j}]`,
      );
    else seen.set(v, i);
  });
}

function deviceFields(
  d: { backend: string; dir?: string; module?: string; tokenLabel?: string; tokenSerial?: string },
  at: ScriptPath,
  name: string,
  add: Add,
): void {
  if (d.backend === 'emulated') {
    if (d.dir === undefined)
      add('SCRIPT_MISSING_FIELD', at, `${name}.dir is required for an emulated device`);
    for (const f of ['module', 'tokenLabel', 'tokenSerial'] as const)
      if (d[f] !== undefined)
        add('SCRIPT_CONFLICT', [...at, f], `${name}.${f} can only be used with backend pkcs11`);
  } else {
    if (d.module === undefined)
      add('SCRIPT_MISSING_FIELD', at, `${name}.module is required for a pkcs11 device`);
    if (d.tokenLabel === undefined && d.tokenSerial === undefined)
      add('SCRIPT_MISSING_FIELD', at, `${name} needs tokenLabel or tokenSerial to find the pkcs11 token`);
    if (d.dir !== undefined)
      add('SCRIPT_CONFLICT', [...at, 'dir'], `${name}.dir can only be used with backend emulated`);
  }
}
