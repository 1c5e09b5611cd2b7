/**
 * Bounds on hostile input for the C2SP text formats (docs/tlog.md, "Limits").
 *
 * The values follow Go's `golang.org/x/mod/sumdb/note` (at most 100 signatures per note, notes of
 * at most 1e6 bytes) and the tree sizes of c2sp.org/tlog-checkpoint (at most 2^63 − 1 leaves, so an
 * inclusion proof has at most 63 hashes).
 *
 * Portable: no `node:` imports.
 */

/** Largest signed note accepted, in UTF-8 bytes (text and signature lines together). */
export const MAX_NOTE_BYTES = 1_000_000;

/**
 * Most signature lines accepted in one note, known and unknown keys together. c2sp.org/signed-note
 * ("Format") requires accepting at least 16.
 */
export const MAX_NOTE_SIGNATURES = 100;

/** Largest tlog-proof accepted, in UTF-8 bytes (the embedded checkpoint note included). */
export const MAX_PROOF_BYTES = MAX_NOTE_BYTES;

/** Most hashes in an inclusion proof: a tree of at most 2^63 − 1 leaves is at most 63 levels deep. */
export const MAX_PROOF_HASHES = 63;

/** Size in bytes of a SHA-256 Merkle tree hash (RFC 6962 §2.1). */
export const HASH_SIZE = 32;
