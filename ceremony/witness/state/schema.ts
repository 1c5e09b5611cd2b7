/**
 * Schema of the witness's signing state, `DIR/state.sqlite` (docs/witness.md, "State"):
 *
 * - `statements`: one row per signed (namespace, epoch): the statement bytes and signature, the
 *   fleet key set and attestations that were checked, who submitted it, and the log index the
 *   statement was (or will be, while `logged = 0`) appended at. A digest appears at most once.
 * - `request_nonces`: request-signature nonces seen within the clock-skew window (replay guard).
 * - `cosigned`: per log origin, the latest checkpoint cosigned through tlog-witness.
 *
 * The database is opened in WAL mode with `synchronous = FULL`: a commit is durable on return.
 */

/** SQLite `application_id` of a witness state file ("FCWS"). */
export const STATE_APPLICATION_ID = 0x46435753;
/** Schema version (`user_version`). */
export const STATE_SCHEMA_VERSION = 1;

/** The DDL of schema version 1. */
export const STATE_SCHEMA_V1 = `
CREATE TABLE statements (
  namespace        TEXT    NOT NULL,
  epoch            INTEGER NOT NULL CHECK (epoch >= 1),
  digest           BLOB    NOT NULL UNIQUE CHECK (length(digest) = 32),
  timestamp        INTEGER NOT NULL,
  key_id           INTEGER NOT NULL,
  public_key       BLOB    NOT NULL,
  statement        BLOB    NOT NULL,
  signature        BLOB    NOT NULL CHECK (length(signature) = 64),
  fleet_key_set    BLOB    NOT NULL,
  attestations     BLOB    NOT NULL,
  operator         TEXT    NOT NULL,
  log_index        INTEGER NOT NULL UNIQUE,
  logged           INTEGER NOT NULL CHECK (logged IN (0, 1)),
  countersignature BLOB,
  PRIMARY KEY (namespace, epoch)
) WITHOUT ROWID;
CREATE TABLE request_nonces (
  id      BLOB    PRIMARY KEY,
  expires INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX request_nonces_expires ON request_nonces (expires);
CREATE TABLE cosigned (
  origin    TEXT    PRIMARY KEY,
  size      INTEGER NOT NULL,
  root_hash BLOB    NOT NULL,
  note      TEXT    NOT NULL
) WITHOUT ROWID;
`;
