/**
 * `witness keygen`: creates a witness data directory with its three keys (statement, log,
 * cosigner) as files or in a PKCS#11 token, and a configuration with no namespaces yet. Nothing is
 * overwritten: an existing witness.json or key file stops it before any key is made
 * (`WITNESS_OUTPUT_EXISTS`); witness.json is written last, so it exists only for a complete set.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { openHsm } from '../../hsm/index.js';
import type { Hsm } from '../../hsm/index.js';
import { statementKeyId } from '../../statement/index.js';
import { formatVerifierKey, isValidKeyName } from '../../tlog/index.js';
import { witnessPaths, writeWitnessConfig } from '../config/store.js';
import { DEFAULT_LIMITS, WITNESS_CONFIG_FORMAT } from '../config/types.js';
import type { WitnessConfig, WitnessHsmConfig } from '../config/types.js';
import { ensureKeyDir } from './files.js';
import { generateNoteKey, generateStatementKey } from './generate.js';
import type { KeyTarget } from './generate.js';

/** Options of {@link witnessKeygen}. */
export interface WitnessKeygenOptions {
  dir: string;
  /** The log's origin (checkpoint first line, log key name), e.g. `witness.example.org/fleet-log`. */
  origin: string;
  /** The cosigner key's name (default `<origin>/cosigner`). */
  cosignerName?: string;
  /** Generate the keys in this PKCS#11 token instead of files; `pin` is used once, never stored. */
  hsm?: WitnessHsmConfig & { pin: string; labelPrefix?: string };
  /** Clock in ms (the first statement key's `notBefore`). */
  now?: () => number;
}

/** What {@link witnessKeygen} made: the public keys to publish and pin. */
export interface WitnessKeygenResult {
  config: WitnessConfig;
  /** The log's C2SP verifier key (`origin+id+base64`). */
  logVerifierKey: string;
  /** The cosigner's C2SP verifier key (type 0x04). */
  cosignerVerifierKey: string;
  statementPublicKey: Uint8Array;
  statementKeyId: number;
  notBefore: number;
}

/** The label of a witness key in a token. */
export function tokenLabel(prefix: string, role: string): string {
  return `${prefix}${role}`;
}

const ROLES = [
  ['keys/statement-1.key', 'statement-1'],
  ['keys/log.key', 'log'],
  ['keys/cosigner.key', 'cosigner'],
] as const;

/** Refuses before generating anything if any of the three keys exists already. */
async function refuseExisting(dir: string, hsm: Hsm | undefined, prefix: string): Promise<void> {
  for (const [file, role] of ROLES) {
    if (
      hsm === undefined
        ? existsSync(join(dir, file))
        : (await hsm.findKey(tokenLabel(prefix, role))) !== undefined
    ) {
      const where = hsm === undefined ? { file: join(dir, file) } : { field: tokenLabel(prefix, role) };
      throw new UsageError(
        'WITNESS_OUTPUT_EXISTS',
        'a witness key already exists; it is never overwritten',
        where,
      );
    }
  }
}

/**
 * Creates the witness keys and configuration in `options.dir`.
 * @throws UsageError `WITNESS_OUTPUT_EXISTS`, `WITNESS_CONFIG_INVALID` (a bad origin or name),
 *   the token's errors (`HSM_LABEL_EXISTS`, `HSM_WRONG_PIN`, ...).
 */
export async function witnessKeygen(options: WitnessKeygenOptions): Promise<WitnessKeygenResult> {
  const { dir, origin } = options;
  const cosignerName = options.cosignerName ?? `${origin}/cosigner`;
  for (const [field, name] of [
    ['origin', origin],
    ['cosignerName', cosignerName],
  ] as const) {
    if (!isValidKeyName(name))
      throw new UsageError('WITNESS_CONFIG_INVALID', `${field}: want a key name (no spaces, no +)`, {
        field,
      });
  }
  if (cosignerName === origin) {
    throw new UsageError('WITNESS_CONFIG_INVALID', 'cosignerName: must differ from the origin', {
      field: 'cosignerName',
    });
  }
  const paths = witnessPaths(dir);
  for (const p of [paths.config, paths.state, paths.log]) {
    if (existsSync(p))
      throw new UsageError('WITNESS_OUTPUT_EXISTS', 'already exists; a witness is never overwritten', {
        file: p,
      });
  }
  const now = (options.now ?? Date.now)();
  let hsm: Hsm | undefined;
  const h = options.hsm;
  if (h !== undefined) {
    hsm = await openHsm({
      backend: 'pkcs11',
      module: h.module,
      pin: h.pin,
      ...(h.tokenLabel === undefined ? {} : { tokenLabel: h.tokenLabel }),
      ...(h.tokenSerial === undefined ? {} : { tokenSerial: h.tokenSerial }),
    });
  } else {
    ensureKeyDir(dir);
  }
  const prefix = h?.labelPrefix ?? 'witness-';
  const target = (file: string, role: string): KeyTarget =>
    hsm === undefined ? { dir, file } : { hsm, label: tokenLabel(prefix, role) };
  try {
    await refuseExisting(dir, hsm, prefix);
    const statement = await generateStatementKey(target('keys/statement-1.key', 'statement-1'), new Set());
    const log = await generateNoteKey(target('keys/log.key', 'log'), origin, 0x01);
    const cosigner = await generateNoteKey(target('keys/cosigner.key', 'cosigner'), cosignerName, 0x04);
    const config: WitnessConfig = {
      format: WITNESS_CONFIG_FORMAT,
      origin,
      cosignerName,
      ...(h === undefined
        ? {}
        : {
            hsm: {
              module: h.module,
              pinEnv: h.pinEnv,
              ...(h.tokenLabel === undefined ? {} : { tokenLabel: h.tokenLabel }),
              ...(h.tokenSerial === undefined ? {} : { tokenSerial: h.tokenSerial }),
            },
          }),
      statementKeys: [{ ...statement, notBefore: now }],
      logKey: log,
      cosignerKey: cosigner,
      operators: [],
      namespaces: [],
      cosigning: { logs: [] },
      limits: { ...DEFAULT_LIMITS },
    };
    writeWitnessConfig(dir, config, { create: true });
    return {
      config,
      logVerifierKey: formatVerifierKey({ name: origin, type: 0x01, publicKey: log.publicKey }),
      cosignerVerifierKey: formatVerifierKey({
        name: cosignerName,
        type: 0x04,
        publicKey: cosigner.publicKey,
      }),
      statementPublicKey: statement.publicKey,
      statementKeyId: statementKeyId(statement.publicKey),
      notBefore: now,
    };
  } finally {
    await hsm?.close();
  }
}
