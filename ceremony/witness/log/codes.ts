/**
 * Error codes of the witness audit log (ceremony/witness/log), one per distinct failure, so an
 * operator or a monitor can tell a tampered store from a busy one and a split view from a bad tile.
 * The classes follow ceremony/errors.ts: VerificationError (exit 1) when the log's evidence is
 * wrong, MalformedError (exit 2) for unreadable input, UsageError (exit 2) for a request the log
 * cannot answer or a state that forbids it.
 */

/** UsageError codes: bad arguments or a state that forbids the operation. */
export type LogUsageErrorCode =
  /** append() got no entries. */
  | 'LOG_BATCH_EMPTY'
  /** append() got more entries than one call may carry. */
  | 'LOG_BATCH_TOO_LARGE'
  /** An entry is not a Uint8Array or is longer than an entry bundle can carry (65535 bytes). */
  | 'LOG_ENTRY_INVALID'
  /** An index or size beyond the log (or a proof for an empty tree). */
  | 'LOG_INDEX_OUT_OF_RANGE'
  | 'LOG_SIZE_OUT_OF_RANGE'
  /** The log was closed. */
  | 'LOG_CLOSED'
  /** The store was opened with an origin other than the one it was created with. */
  | 'LOG_ORIGIN_MISMATCH'
  /** The signer's key name is not the log's origin (checkpoints must be signed by the origin key). */
  | 'LOG_SIGNER_NAME_MISMATCH'
  /** The store holds checkpoints signed by another key than the signer given. */
  | 'LOG_SIGNER_KEY_MISMATCH'
  /** Another process appended to the store behind this one's back (one writer at a time). */
  | 'LOG_CONCURRENT_WRITER'
  /** The store file was written by a newer (or unknown) schema version. */
  | 'LOG_SCHEMA_UNSUPPORTED'
  /** The store file cannot be opened (missing directory, not a SQLite file, locked). */
  | 'LOG_STORE_UNREADABLE'
  /** exportTiles found a file that differs from what it would write (outputs are never overwritten). */
  | 'LOG_EXPORT_CONFLICT'
  /** A log location (URL or directory) is unusable. */
  | 'LOG_LOCATION_INVALID'
  /** A resource of the log (checkpoint, tile, entry bundle) is not available. */
  | 'LOG_RESOURCE_MISSING'
  /** A CLI argument (index, size) is not a decimal integer. */
  | 'LOG_ARGUMENT_INVALID'
  /** A monitor state file belongs to another log. */
  | 'MONITOR_STATE_MISMATCH';

/** MalformedError codes: input that cannot be parsed. */
export type LogMalformedErrorCode =
  /** A fetched resource is too large or not what its path promises. */
  | 'LOG_RESOURCE_MALFORMED'
  /** A monitor state file is not the JSON this version writes. */
  | 'MONITOR_STATE_MALFORMED';

/** VerificationError codes: the log's evidence is wrong. */
export type LogVerificationErrorCode =
  /** Recovery: the stored tree does not reproduce the last stored checkpoint's root. */
  | 'LOG_STORE_ROOT_MISMATCH'
  /** Recovery: row counts, a leaf hash or a stored hash are not what the entries imply. */
  | 'LOG_STORE_CORRUPT'
  /** Recovery: a stored checkpoint note is not the one the signer makes for its size and root. */
  | 'LOG_STORE_CHECKPOINT_INVALID'
  /** A client: tiles or entries do not hash to the signed checkpoint's root. */
  | 'LOG_TILES_INVALID'
  /** `log consistency --old-root`: the log's tree at the old size has another root. */
  | 'LOG_OLD_ROOT_MISMATCH'
  /** Two signed checkpoints of the log that cannot both be true: same size and different roots,
   * or a larger tree that does not extend a smaller one. */
  | 'LOG_SPLIT_VIEW'
  /** The log presents a checkpoint smaller than one already seen, and cannot show it is a prefix. */
  | 'LOG_ROLLBACK';

/** Every code this folder throws. */
export type LogErrorCode = LogUsageErrorCode | LogMalformedErrorCode | LogVerificationErrorCode;
