/**
 * `witness sign` as a library call: an operator submits a fleet key set, signing the request with a
 * key file or an HSM key, verifies the witness's reply, and optionally counter-signs the witness
 * signature with an HSM key and uploads the counter-signature. The HSM is opened once and closed
 * before returning; its PIN comes from the selector's environment variable.
 */
import { UsageError } from '../../errors.js';
import { openHsm, resolveHsmSpec } from '../../hsm/index.js';
import type { DeviceSelector, Hsm } from '../../hsm/index.js';
import { countersign } from '../../statement/index.js';
import { submitFleetKeySet, uploadCountersignature } from '../client/submit.js';
import type { SubmitResult } from '../client/submit.js';
import type { SubmittedAttestation } from '../policy/submission.js';
import { operatorSignerFromFile, operatorSignerFromHsm } from './signer.js';

/** Options of {@link submitAsOperator}. */
export interface SubmitAsOperatorOptions {
  url: string;
  fleetKeySet: Uint8Array;
  attestations: SubmittedAttestation[];
  /** Operator name (default: the key file's key name; required with an HSM key). */
  operator?: string;
  /** The request key as a C2SP signer-key file. */
  keyFile?: string;
  /** The HSM holding the request key (`keyLabel`) and/or the counter-signing key. */
  device?: DeviceSelector;
  keyLabel?: string;
  /** Counter-sign with this HSM key and upload the counter-signature. */
  countersignLabel?: string;
}

/** The verified reply and what was counter-signed. */
export interface SubmitAsOperatorResult extends SubmitResult {
  countersignature?: { algorithm: 'ed25519' | 'p256'; publicKey: Uint8Array; signature: Uint8Array };
}

async function withDevice<T>(
  sel: DeviceSelector | undefined,
  f: (hsm: Hsm | undefined) => Promise<T>,
): Promise<T> {
  if (sel === undefined || (sel.dir === undefined && sel.module === undefined)) return f(undefined);
  const hsm = await openHsm(await resolveHsmSpec(sel));
  try {
    return await f(hsm);
  } finally {
    await hsm.close();
  }
}

/**
 * Submits, verifies the reply, and counter-signs if asked.
 * @throws UsageError `WITNESS_KEY_MISSING` (no request key named), `WITNESS_HSM_REQUIRED`
 *   (counter-signing without an HSM); WitnessError (the witness refused); the HSM's errors.
 */
export async function submitAsOperator(o: SubmitAsOperatorOptions): Promise<SubmitAsOperatorResult> {
  return withDevice(o.device, async (hsm) => {
    let operator;
    if (o.keyFile !== undefined) operator = operatorSignerFromFile(o.keyFile, o.operator);
    else if (hsm !== undefined && o.keyLabel !== undefined && o.operator !== undefined) {
      operator = await operatorSignerFromHsm(hsm, o.keyLabel, o.operator);
    } else {
      throw new UsageError(
        'WITNESS_KEY_MISSING',
        'name the operator key: --key FILE, or an HSM (--hsm-dir or --module) with --key-label and --operator',
      );
    }
    if (o.countersignLabel !== undefined && hsm === undefined) {
      throw new UsageError('WITNESS_HSM_REQUIRED', '--countersign-label needs an HSM: --hsm-dir or --module');
    }
    const r = await submitFleetKeySet({
      url: o.url,
      fleetKeySet: o.fleetKeySet,
      attestations: o.attestations,
      operator,
    });
    if (o.countersignLabel === undefined || hsm === undefined) return r;
    const cs = await countersign(hsm, o.countersignLabel, r.reply.signature, r.reply.statement);
    const countersignature = { algorithm: cs.algorithm, publicKey: cs.publicKey, signature: cs.signature };
    await uploadCountersignature(
      { url: o.url, namespace: r.reply.namespace, epoch: r.reply.epoch, operator },
      countersignature,
    );
    return { ...r, countersignature };
  });
}
