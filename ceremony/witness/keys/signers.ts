/**
 * The witness's signers at run time, from key files or a PKCS#11 token (docs/witness.md, "Keys"):
 *
 * - statement keys (Ed25519 over the Plexi `SignatureMessage`), one per rotation step;
 * - the log key (Ed25519 note signer named as the origin) that signs checkpoints;
 * - the cosigner key (cosignature/v1) for tlog-witness `add-checkpoint`.
 *
 * Every key is self-tested when loaded: it signs a fresh nonce and the signature must verify under
 * the public key recorded in witness.json (`WITNESS_KEY_MISMATCH` otherwise), so a swapped key
 * file or token object is caught before anything is signed.
 *
 * The audit log's checkpoint signer is synchronous (ceremony/tlog `Signer`), a token is not: for a
 * token, the log signer answers only for note texts {@link LogSigner.prepare} signed beforehand.
 */
import { hexEncode } from '../../codec/index.js';
import { randomBytes } from '../../crypto/index.js';
import { UsageError } from '../../errors.js';
import { openHsm } from '../../hsm/index.js';
import type { Hsm } from '../../hsm/index.js';
import { emptyRoot, formatCheckpoint } from '../../tlog/index.js';
import type { WitnessConfig } from '../config/types.js';
import {
  cosignerFromFile,
  cosignerFromToken,
  logSignerFromFile,
  logSignerFromToken,
} from './note-signers.js';
import type { AsyncNoteSigner, LogSigner } from './note-signers.js';
import { statementSignerFromFile, statementSignerFromToken } from './statement-signer.js';
import type { StatementSigner } from './statement-signer.js';

/** All the witness's signers. Holds the token session (if any) until {@link WitnessKeys.close}. */
export interface WitnessKeys {
  /** Statement keys, in increasing `notBefore` order. */
  statement: StatementSigner[];
  log: LogSigner;
  cosigner: AsyncNoteSigner;
  close(): Promise<void>;
}

/** Options of {@link loadWitnessKeys}. */
export interface LoadKeysOptions {
  /** PIN of the token (else read from `hsm.pinEnv`). Never logged. */
  pin?: string;
  /** An open token to use instead of opening `config.hsm` (tests); not closed by `close()`. */
  hsm?: Hsm;
}

async function openToken(config: WitnessConfig, options: LoadKeysOptions): Promise<Hsm | undefined> {
  if (options.hsm !== undefined) return options.hsm;
  const h = config.hsm;
  if (h === undefined) return undefined;
  const pin = options.pin ?? process.env[h.pinEnv];
  if (pin === undefined || pin === '') {
    throw new UsageError(
      'WITNESS_HSM_REQUIRED',
      `the witness keys are in a PKCS#11 token: set ${h.pinEnv} to its PIN`,
      {
        field: 'hsm.pinEnv',
      },
    );
  }
  return openHsm({
    backend: 'pkcs11',
    module: h.module,
    pin,
    ...(h.tokenLabel === undefined ? {} : { tokenLabel: h.tokenLabel }),
    ...(h.tokenSerial === undefined ? {} : { tokenSerial: h.tokenSerial }),
  });
}

function needToken(hsm: Hsm | undefined, label: string): Hsm {
  if (hsm === undefined) {
    throw new UsageError(
      'WITNESS_HSM_REQUIRED',
      `key ${JSON.stringify(label)} is in a PKCS#11 token, but no token is configured`,
    );
  }
  return hsm;
}

/**
 * Loads and self-tests every witness key named by `config`.
 *
 * @throws UsageError `WITNESS_KEY_MISSING`, `WITNESS_KEY_INVALID`, `WITNESS_KEY_MISMATCH`,
 *   `WITNESS_HSM_REQUIRED`, and the token's errors (`HSM_WRONG_PIN`, ...).
 */
export async function loadWitnessKeys(
  dir: string,
  config: WitnessConfig,
  options: LoadKeysOptions = {},
): Promise<WitnessKeys> {
  const hsm = await openToken(config, options);
  try {
    const statement: StatementSigner[] = [];
    for (const k of config.statementKeys) {
      statement.push(
        'file' in k.source
          ? statementSignerFromFile(dir, k.source.file, k)
          : await statementSignerFromToken(needToken(hsm, k.source.pkcs11Label), k.source.pkcs11Label, k),
      );
    }
    const lk = config.logKey;
    const log =
      'file' in lk.source
        ? logSignerFromFile(dir, lk.source.file, config.origin, lk.publicKey)
        : await logSignerFromToken(
            needToken(hsm, lk.source.pkcs11Label),
            lk.source.pkcs11Label,
            config.origin,
            lk.publicKey,
          );
    const ck = config.cosignerKey;
    const cosigner =
      'file' in ck.source
        ? cosignerFromFile(dir, ck.source.file, config.cosignerName, ck.publicKey)
        : await cosignerFromToken(
            needToken(hsm, ck.source.pkcs11Label),
            ck.source.pkcs11Label,
            config.cosignerName,
            ck.publicKey,
          );
    await selfTest(statement, log, cosigner);
    const owned = options.hsm === undefined ? hsm : undefined;
    return { statement, log, cosigner, close: async () => owned?.close() };
  } catch (e) {
    if (options.hsm === undefined) await hsm?.close();
    throw e;
  }
}

async function selfTest(
  statement: StatementSigner[],
  log: LogSigner,
  cosigner: AsyncNoteSigner,
): Promise<void> {
  for (const s of statement) await s.selfTest();
  // A checkpoint of a throwaway origin: the cosigner signs only checkpoints.
  const origin = `self-test/${hexEncode(randomBytes(8))}`;
  const text = formatCheckpoint({ origin, size: 0, rootHash: emptyRoot() });
  await log.selfTest(text);
  await cosigner.selfTest(text);
}
