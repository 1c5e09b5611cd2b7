/**
 * The tlog-proof text format, c2sp.org/tlog-proof ("Format"):
 *
 *     c2sp.org/tlog-proof@v1
 *     extra <base64>            (optional)
 *     index <decimal>
 *     <base64 hash>             (zero or more, leaf's sibling first)
 *     <empty line>
 *     <the signed checkpoint note, verbatim>
 *
 * Portable: no `node:` imports.
 */
import { base64Decode, base64Encode, formatDecimal, parseDecimal } from '../codec/index.js';
import { MalformedError, UsageError } from '../errors.js';
import { parseCheckpoint } from './checkpoint.js';
import { HASH_SIZE, MAX_PROOF_BYTES, MAX_PROOF_HASHES } from './limits.js';
import { parseNote } from './note-parse.js';
import { readText } from './text.js';

/** First line of every proof. */
export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

/** A parsed tlog-proof; nothing in it is verified. */
export interface TlogProof {
  /** Opaque, unauthenticated extra data; absent when the proof has no `extra` line. */
  extra?: Uint8Array;
  /** Zero-based index of the entry, `0 ≤ index ≤ 2^63 − 1`. */
  index: bigint;
  /** Inclusion proof hashes, 32 bytes each, from the leaf's sibling up. */
  proof: Uint8Array[];
  /** The signed checkpoint note, verbatim (ends in a newline). */
  checkpoint: string;
}

/** What {@link formatTlogProof} takes; the index may be a number. */
export interface TlogProofInput extends Omit<TlogProof, 'index'> {
  index: bigint | number;
}

function malformed(code: string, field: string, reason: string, cause?: unknown): never {
  throw new MalformedError(code, `${field}: ${reason}`, { field, cause });
}

const why = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Parses a tlog-proof strictly. Checks that the embedded checkpoint is a well-formed signed note
 * whose text is a checkpoint, but verifies no signature and no inclusion: see `verifyTlogProof`.
 *
 * @param text - the proof, text or UTF-8 bytes, at most {@link MAX_PROOF_BYTES} bytes.
 * @throws MalformedError `PROOF_TOO_LARGE`, `PROOF_ENCODING_INVALID`, `PROOF_CONTROL_CHARACTER`,
 *   `PROOF_MALFORMED` (header, missing `index` line or blank line), `PROOF_EXTRA_INVALID` (bad or
 *   empty base64), `PROOF_INDEX_INVALID` (not canonical decimal ≤ 2^63 − 1), `PROOF_HASH_INVALID`
 *   (not canonical base64 of 32 bytes), `PROOF_TOO_MANY_HASHES` (over 63), and the `NOTE_*` and
 *   `CHECKPOINT_*` codes of `parseNote` and `parseCheckpoint` for the checkpoint.
 */
export function parseTlogProof(text: string | Uint8Array): TlogProof {
  const all = readText(text, MAX_PROOF_BYTES, 'PROOF', 'proof').text;
  let pos = 0;
  const nextLine = (what: string): string => {
    const end = all.indexOf('\n', pos);
    if (end < 0) malformed('PROOF_MALFORMED', 'proof', `ends before the ${what}`);
    const line = all.slice(pos, end);
    pos = end + 1;
    return line;
  };
  if (nextLine('header') !== TLOG_PROOF_HEADER) {
    malformed('PROOF_MALFORMED', 'proof.header', `want first line ${JSON.stringify(TLOG_PROOF_HEADER)}`);
  }
  let line = nextLine('index line');
  let extra: Uint8Array | undefined;
  if (line.startsWith('extra ')) {
    try {
      extra = base64Decode(line.slice(6), 'proof.extra');
    } catch (cause) {
      malformed('PROOF_EXTRA_INVALID', 'proof.extra', `not canonical base64 (${why(cause)})`, cause);
    }
    if (extra.length === 0) malformed('PROOF_EXTRA_INVALID', 'proof.extra', 'empty; omit the line instead');
    line = nextLine('index line');
  }
  if (!line.startsWith('index '))
    malformed('PROOF_MALFORMED', 'proof.index', "want a line 'index <decimal>'");
  let index: bigint;
  try {
    index = parseDecimal(line.slice(6), 'proof.index');
  } catch (cause) {
    malformed('PROOF_INDEX_INVALID', 'proof.index', `want canonical decimal ≤ 2^63-1 (${why(cause)})`, cause);
  }
  const proof: Uint8Array[] = [];
  for (line = nextLine('blank line'); line !== ''; line = nextLine('blank line')) {
    const field = `proof.hashes[${proof.length}]`;
    if (proof.length === MAX_PROOF_HASHES)
      malformed('PROOF_TOO_MANY_HASHES', field, `want at most ${MAX_PROOF_HASHES}`);
    let hash: Uint8Array;
    try {
      hash = base64Decode(line, field);
    } catch (cause) {
      malformed('PROOF_HASH_INVALID', field, `not canonical base64 (${why(cause)})`, cause);
    }
    if (hash.length !== HASH_SIZE)
      malformed('PROOF_HASH_INVALID', field, `got ${hash.length} bytes, want ${HASH_SIZE}`);
    proof.push(hash);
  }
  const checkpoint = all.slice(pos);
  parseCheckpoint(parseNote(checkpoint).text);
  return extra === undefined ? { index, proof, checkpoint } : { extra, index, proof, checkpoint };
}

/**
 * Formats a tlog-proof (the inverse of {@link parseTlogProof}). An empty `extra` is omitted.
 *
 * @throws UsageError `PROOF_INDEX_INVALID` (not 0..2^63 − 1), `PROOF_HASH_INVALID` (not 32 bytes),
 *   `PROOF_TOO_MANY_HASHES`; MalformedError from `parseNote`/`parseCheckpoint` for the checkpoint.
 */
export function formatTlogProof(p: TlogProofInput): string {
  let indexText: string;
  try {
    indexText = formatDecimal(p.index);
  } catch (cause) {
    throw new UsageError('PROOF_INDEX_INVALID', `proof.index: got ${String(p.index)}, want 0..2^63-1`, {
      field: 'proof.index',
      cause,
    });
  }
  if (p.proof.length > MAX_PROOF_HASHES) {
    throw new UsageError(
      'PROOF_TOO_MANY_HASHES',
      `proof.hashes: got ${p.proof.length}, want ≤ ${MAX_PROOF_HASHES}`,
    );
  }
  p.proof.forEach((h, i) => {
    if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) {
      throw new UsageError('PROOF_HASH_INVALID', `proof.hashes[${i}]: want ${HASH_SIZE} bytes`, {
        field: `proof.hashes[${i}]`,
      });
    }
  });
  parseCheckpoint(parseNote(p.checkpoint).text);
  const extra = p.extra !== undefined && p.extra.length > 0 ? `extra ${base64Encode(p.extra)}\n` : '';
  const hashes = p.proof.map((h) => base64Encode(h) + '\n').join('');
  return `${TLOG_PROOF_HEADER}\n${extra}index ${indexText}\n${hashes}\n${p.checkpoint}`;
}
