/**
 * `witness key rotate`: adds a statement key that signs from `notBefore` on (Plexi's key rotation:
 * `/info` lists every key with its `not_before`; a statement verifies under the key with the
 * greatest `not_before` at or before its timestamp, see ./select.ts). Old keys stay listed so
 * old statements keep verifying. `notBefore` must be now or later, and later than every existing
 * key's, so no statement already signed changes key. A running server picks the new key up at
 * its next start (docs/witness.md, "Key rotation").
 */
import { UsageError } from '../../errors.js';
import { openHsm } from '../../hsm/index.js';
import { statementKeyId } from '../../statement/index.js';
import { readWitnessConfig, updateWitnessConfig } from '../config/store.js';
import type { StatementKeyConfig } from '../config/types.js';
import { generateStatementKey } from './generate.js';

/** Options of {@link rotateStatementKey}. */
export interface RotateOptions {
  dir: string;
  /** Milliseconds since the Unix epoch; default: now. */
  notBefore?: number;
  /** Clock in ms. */
  now?: () => number;
  /** Token PIN when the keys are in a token (else read from `hsm.pinEnv`). */
  pin?: string;
}

/** The new key. */
export interface RotateResult {
  publicKey: Uint8Array;
  keyId: number;
  notBefore: number;
  /** 1-based number of the key (`statement-<n>`). */
  number: number;
}

/**
 * Generates the next statement key and records it in witness.json.
 * @throws UsageError `WITNESS_KEY_ROTATION_INVALID` (notBefore in the past or not after the last
 *   key's), `WITNESS_HSM_REQUIRED`, `WITNESS_OUTPUT_EXISTS`, the token's errors.
 */
export async function rotateStatementKey(options: RotateOptions): Promise<RotateResult> {
  const { dir } = options;
  const config = readWitnessConfig(dir);
  const now = (options.now ?? Date.now)();
  const notBefore = options.notBefore ?? now;
  const last = config.statementKeys[config.statementKeys.length - 1]!;
  if (!Number.isSafeInteger(notBefore) || notBefore < now) {
    throw new UsageError(
      'WITNESS_KEY_ROTATION_INVALID',
      `notBefore: ${notBefore} is in the past (now ${now}); statements already signed would change key`,
      {
        field: 'notBefore',
      },
    );
  }
  if (notBefore <= last.notBefore) {
    throw new UsageError(
      'WITNESS_KEY_ROTATION_INVALID',
      `notBefore: want later than the last key's ${last.notBefore}`,
      {
        field: 'notBefore',
      },
    );
  }
  const number = config.statementKeys.length + 1;
  const used = new Set(config.statementKeys.map((k) => statementKeyId(k.publicKey)));
  let key: StatementKeyConfig;
  if (config.hsm === undefined) {
    key = { ...(await generateStatementKey({ dir, file: `keys/statement-${number}.key` }, used)), notBefore };
  } else {
    const h = config.hsm;
    const pin = options.pin ?? process.env[h.pinEnv];
    if (pin === undefined || pin === '') {
      throw new UsageError(
        'WITNESS_HSM_REQUIRED',
        `the witness keys are in a PKCS#11 token: set ${h.pinEnv} to its PIN`,
      );
    }
    const hsm = await openHsm({
      backend: 'pkcs11',
      module: h.module,
      pin,
      ...(h.tokenLabel === undefined ? {} : { tokenLabel: h.tokenLabel }),
      ...(h.tokenSerial === undefined ? {} : { tokenSerial: h.tokenSerial }),
    });
    try {
      const prefix =
        'pkcs11Label' in last.source ? last.source.pkcs11Label.replace(/statement-[0-9]+$/, '') : 'witness-';
      key = {
        ...(await generateStatementKey({ hsm, label: `${prefix}statement-${number}` }, used)),
        notBefore,
      };
    } finally {
      await hsm.close();
    }
  }
  updateWitnessConfig(dir, (c) => ({ ...c, statementKeys: [...c.statementKeys, key] }));
  return { publicKey: key.publicKey, keyId: statementKeyId(key.publicKey), notBefore, number };
}
