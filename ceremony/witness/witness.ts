/**
 * The witness: opens a data directory (configuration, keys, state, audit log), finishes what a
 * crash left half done, and serves as the {@link WitnessContext} of the HTTP handlers.
 */
import type { Hsm } from '../hsm/index.js';
import { formatCheckpoint } from '../tlog/index.js';
import { configVersion, readWitnessConfig, witnessPaths } from './config/store.js';
import type { WitnessConfig } from './config/types.js';
import type { WitnessContext } from './context.js';
import { loadWitnessKeys } from './keys/signers.js';
import type { WitnessKeys } from './keys/signers.js';
import { SqliteLogStorage, WitnessLog } from './log/index.js';
import { finishPending } from './policy/sign.js';
import { Serial } from './serial.js';
import { WitnessState } from './state/witness-state.js';

/** Options of {@link Witness.open}. */
export interface OpenWitnessOptions {
  /** The data directory. */
  dir: string;
  /** Clock in ms (tests). */
  now?: () => number;
  /** Token PIN (else `hsm.pinEnv`). */
  pin?: string;
  /** An open token to use (tests). */
  hsm?: Hsm;
}

/** An open witness. Close it to release the state, the log and the token. */
export class Witness implements WitnessContext {
  readonly dir: string;
  readonly state: WitnessState;
  readonly log: WitnessLog;
  readonly keys: WitnessKeys;
  readonly serial = new Serial();
  readonly #now: () => number;
  #config: WitnessConfig;
  #configVersion: string;
  #closed = false;

  private constructor(
    dir: string,
    config: WitnessConfig,
    keys: WitnessKeys,
    state: WitnessState,
    log: WitnessLog,
    now: () => number,
  ) {
    this.dir = dir;
    this.#config = config;
    this.#configVersion = configVersion(dir);
    this.keys = keys;
    this.state = state;
    this.log = log;
    this.#now = now;
  }

  /**
   * Opens the witness in `options.dir`: reads witness.json, loads and self-tests the keys, opens
   * the state and the log, and appends any statement recorded but not yet logged.
   * @throws UsageError `WITNESS_CONFIG_*`, `WITNESS_KEY_*`, `WITNESS_STATE_UNREADABLE`, the log's
   *   `LOG_*` errors; VerificationError `WITNESS_STATE_LOG_MISMATCH`, `LOG_STORE_*`.
   */
  static async open(options: OpenWitnessOptions): Promise<Witness> {
    const { dir } = options;
    const config = readWitnessConfig(dir);
    const paths = witnessPaths(dir);
    const keys = await loadWitnessKeys(dir, config, {
      ...(options.pin === undefined ? {} : { pin: options.pin }),
      ...(options.hsm === undefined ? {} : { hsm: options.hsm }),
    });
    let state: WitnessState | undefined;
    let log: WitnessLog | undefined;
    try {
      state = WitnessState.open(paths.state, { create: true });
      const storage = SqliteLogStorage.open(paths.log);
      // The log re-signs its latest checkpoint on open to check it: let a token key prepare it.
      const latest = storage.latestCheckpoint();
      if (latest !== undefined) {
        await keys.log.prepare(
          formatCheckpoint({ origin: config.origin, size: latest.size, rootHash: latest.rootHash }),
        );
      }
      log = WitnessLog.open({ storage, origin: config.origin, signer: keys.log.signer });
      const witness = new Witness(dir, config, keys, state, log, options.now ?? Date.now);
      finishPending(witness);
      return witness;
    } catch (e) {
      log?.close();
      state?.close();
      await keys.close();
      throw e;
    }
  }

  /** The configuration in force; re-read when witness.json changed (an invalid new one is ignored). */
  config(): WitnessConfig {
    const version = configVersion(this.dir);
    if (version !== this.#configVersion) {
      this.#configVersion = version;
      try {
        this.#config = readWitnessConfig(this.dir);
      } catch {
        // Keep serving with the last good configuration; `witness namespace add` validates anyway.
      }
    }
    return this.#config;
  }

  /** The witness clock, ms. */
  now(): number {
    return this.#now();
  }

  /** The signed checkpoint of the current size (signed and stored if new). */
  async checkpoint(): Promise<string> {
    await this.#prepare();
    return this.log.checkpoint();
  }

  /** A tlog-proof of entry `index` against the latest checkpoint. */
  async tlogProof(index: bigint): Promise<string> {
    await this.#prepare();
    return this.log.tlogProof(index);
  }

  /** Lets a token-held log key sign the checkpoint of the current size ahead of time. */
  async #prepare(): Promise<void> {
    const size = this.log.size();
    if (this.log.checkpointAt(size) !== undefined) return;
    await this.keys.log.prepare(
      formatCheckpoint({ origin: this.#config.origin, size, rootHash: this.log.rootHash(size) }),
    );
  }

  /** Closes the log, the state and the token. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.log.close();
    this.state.close();
    await this.keys.close();
  }
}
