/**
 * What the witness's request handlers need: the current configuration, the state, the audit log,
 * the keys, a clock and the signing queue. {@link Witness} (./witness.ts) is the implementation;
 * tests may build their own.
 */
import type { WitnessConfig } from './config/types.js';
import type { WitnessKeys } from './keys/signers.js';
import type { WitnessLog } from './log/index.js';
import type { Serial } from './serial.js';
import type { WitnessState } from './state/witness-state.js';

/** The witness as its handlers see it. */
export interface WitnessContext {
  /** The configuration in force (re-read when witness.json changes; keys excepted). */
  config(): WitnessConfig;
  readonly state: WitnessState;
  readonly log: WitnessLog;
  readonly keys: WitnessKeys;
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** The one-at-a-time queue every signature of the witness goes through. */
  readonly serial: Serial;
  /** The signed checkpoint of the log's current size (made and stored if new). */
  checkpoint(): Promise<string>;
  /** A C2SP tlog-proof of entry `index` against the latest checkpoint (made if none covers it). */
  tlogProof(index: bigint): Promise<string>;
}
