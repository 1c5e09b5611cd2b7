/**
 * The signature and consistency checks of an nShield bundle, in the order of Entrust's
 * "Verifying an attestation bundle": warrant (WV), module state (MSCV), world binding (WBCV), key
 * generation certificate (KGCV). Each returns what the next needs and pushes a failure for every
 * check that fails.
 *
 * Portable: no `node:` imports.
 */
import { concatBytes, equalBytes } from '../../../codec/index.js';
import type { AttestationFailure } from '../../types.js';
import { MalformedError } from '../../../errors.js';
import { failure } from '../../codes.js';
import type { NshieldBundle } from './bundle.js';
import type { NcoreKey } from './keys.js';
import { keyHash, verifyNcoreSignature } from './keys.js';
import type { ModuleState } from './modstate.js';
import { NcoreReader } from './ncore.js';
import type { Warrant } from './warrant.js';
import { WarrantRefusal, verifyWarrant } from './warrant.js';

/** Ciphersuites of security worlds whose keys are too weak to vouch for anything. */
const LEGACY_SUITES = new Set(['DLf1024s160mDES3', 'DLf1024s160mRijndael']);
const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Reads an M_CipherText signature and verifies it under `key`; pushes a failure unless it verifies. */
export function checkSignature(
  key: NcoreKey,
  cipherText: Uint8Array,
  message: Uint8Array,
  what: string,
  failures: AttestationFailure[],
): boolean {
  let ok: boolean | string;
  try {
    const r = new NcoreReader(cipherText, what);
    const mech = r.u32();
    const sr = r.bignum();
    const ss = r.bignum();
    r.end();
    ok = verifyNcoreSignature(key, mech, sr, ss, message);
  } catch (e) {
    if (!(e instanceof MalformedError)) throw e;
    failures.push(failure('ATTEST_MALFORMED', e.message));
    return false;
  }
  if (ok === true) return true;
  failures.push(
    typeof ok === 'string'
      ? failure('ATTEST_ALGORITHM_UNSUPPORTED', `${what}: ${ok}`)
      : failure('ATTEST_SIGNATURE_INVALID', `${what} does not verify`),
  );
  return false;
}

/** WV1: the warrant under each pinned KWARN key until one verifies it. */
export function checkWarrant(
  bundle: NshieldBundle,
  roots: Extract<NcoreKey, { type: 'ecdsa' }>[],
  failures: AttestationFailure[],
): Warrant | undefined {
  if (roots.length === 0) {
    failures.push(
      failure(
        'ATTEST_CHAIN_UNTRUSTED',
        `no pinned P-521 key to check the warrant's root ${bundle.root} with`,
      ),
    );
    return undefined;
  }
  const reasons: string[] = [];
  for (const root of roots) {
    try {
      return verifyWarrant(bundle.warrant, root, bundle.root);
    } catch (e) {
      if (e instanceof MalformedError) {
        failures.push(failure('ATTEST_MALFORMED', e.message));
        return undefined;
      }
      if (!(e instanceof WarrantRefusal)) throw e;
      reasons.push(e.message);
    }
  }
  failures.push(
    failure(
      'ATTEST_CHAIN_UNTRUSTED',
      `the warrant does not verify under a pinned key: ${reasons.join('; ')}`,
    ),
  );
  return undefined;
}

/** MSCV1-5: module state signed by KLF2, same ESN, knsopub hashes to HKNSO, hkm in the key list. */
export function checkModuleState(
  bundle: NshieldBundle,
  warrant: Warrant | undefined,
  state: ModuleState,
  knso: NcoreKey,
  failures: AttestationFailure[],
): void {
  if (warrant !== undefined) {
    checkSignature(
      warrant.klf2,
      bundle.modstatesig,
      bundle.modstatemsg,
      'modstatesig (by the warrant KLF2)',
      failures,
    );
    const k = state.klf2;
    if (
      k !== undefined &&
      (k.type !== 'ecdsa' || k.curve !== 'P-521' || k.x !== warrant.klf2.x || k.y !== warrant.klf2.y)
    ) {
      failures.push(failure('ATTEST_ATTRIBUTE_MISMATCH', "the module state's KLF2 is not the warrant's"));
    }
    if (state.esn !== warrant.esn) {
      failures.push(
        failure(
          'ATTEST_ATTRIBUTE_MISMATCH',
          `module state ESN ${state.esn} is not the warrant's ${warrant.esn}`,
        ),
      );
    }
  }
  const hknso = keyHash(knso);
  if (typeof hknso === 'string' || !equalBytes(hknso, state.hknso)) {
    failures.push(failure('ATTEST_ATTRIBUTE_MISMATCH', "knsopub does not hash to the module's HKNSO"));
  }
  if (!state.moduleKeys.some((k) => equalBytes(k, bundle.hkm))) {
    failures.push(failure('ATTEST_ATTRIBUTE_MISMATCH', "hkm is not in the module's key list"));
  }
}

/** WBCV1-5: the world binding (and recovery) certificates under knsopub. */
export function checkWorldBinding(
  bundle: NshieldBundle,
  state: ModuleState,
  knso: NcoreKey,
  failures: AttestationFailure[],
): void {
  const suite = bundle.ciphersuite;
  if (!/^[A-Za-z0-9]+$/.test(suite)) {
    failures.push(failure('ATTEST_MALFORMED', `ciphersuite ${JSON.stringify(suite)} is not a suite name`));
    return;
  }
  if (LEGACY_SUITES.has(suite)) {
    failures.push(failure('ATTEST_ALGORITHM_UNSUPPORTED', `legacy security world ciphersuite ${suite}`));
  }
  const head =
    bundle.hkfips === undefined
      ? `Module keys: suite = ${suite}\0`
      : `Module setup, FIPS3; suite = ${suite}\0`;
  const parts = [
    ascii(head),
    state.hknso,
    bundle.hkm,
    bundle.hkmc,
    ...(bundle.hkfips === undefined ? [] : [bundle.hkfips]),
  ];
  checkSignature(
    knso,
    bundle.worldCert,
    concatBytes(...parts),
    'the world binding certificate (by knsopub)',
    failures,
  );
  if (bundle.recovery !== undefined) {
    const body = concatBytes(
      ascii('Card Recovery\0'),
      state.hknso,
      bundle.recovery.hkre,
      bundle.recovery.hkra,
    );
    checkSignature(knso, bundle.recovery.cert, body, 'CertKREaKRAbKNSO (by knsopub)', failures);
  }
}
