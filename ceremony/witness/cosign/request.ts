/**
 * The tlog-witness `add-checkpoint` request body (c2sp.org/tlog-witness, "add-checkpoint"):
 *
 *     old <size>\n
 *     <base64 consistency proof hash>\n   (0 to 63 lines)
 *     \n
 *     <signed checkpoint note>
 *
 * Parsed strictly: canonical decimal, canonical base64 of 32 bytes, at most 63 hashes.
 */
import { base64Decode, parseDecimal, utf8Decode } from '../../codec/index.js';
import { isCeremonyError } from '../../errors.js';
import { MAX_PROOF_HASHES, parseCheckpoint, parseNote } from '../../tlog/index.js';
import type { Checkpoint, ParsedNote } from '../../tlog/index.js';
import { refuse } from '../codes.js';

/** A parsed add-checkpoint request (nothing verified yet). */
export interface AddCheckpointRequest {
  oldSize: bigint;
  proof: Uint8Array[];
  /** The signed note, verbatim. */
  note: string;
  parsed: ParsedNote;
  checkpoint: Checkpoint;
}

function bad(field: string, reason: string, cause?: unknown): never {
  refuse('CHECKPOINT_REQUEST_MALFORMED', field, reason, { cause });
}

/**
 * Parses an add-checkpoint body.
 * @throws WitnessError `CHECKPOINT_REQUEST_MALFORMED` (400), naming the line at fault.
 */
export function parseAddCheckpoint(body: Uint8Array): AddCheckpointRequest {
  let text: string;
  try {
    text = utf8Decode(body);
  } catch (e) {
    bad('body', 'not UTF-8', e);
  }
  let pos = 0;
  const line = (what: string): string => {
    const end = text.indexOf('\n', pos);
    if (end < 0) bad('body', `ends before the ${what}`);
    const l = text.slice(pos, end);
    pos = end + 1;
    return l;
  };
  const first = line('old size line');
  if (!first.startsWith('old ')) bad('old', "want a first line 'old <size>'");
  let oldSize: bigint;
  try {
    oldSize = parseDecimal(first.slice(4), 'old');
  } catch (e) {
    bad('old', 'want a canonical decimal size', e);
  }
  const proof: Uint8Array[] = [];
  for (let l = line('blank line'); l !== ''; l = line('blank line')) {
    const field = `proof[${proof.length}]`;
    if (proof.length === MAX_PROOF_HASHES) bad(field, `more than ${MAX_PROOF_HASHES} proof lines`);
    let h: Uint8Array;
    try {
      h = base64Decode(l, field);
    } catch (e) {
      bad(field, 'not canonical base64', e);
    }
    if (h.length !== 32) bad(field, `got ${h.length} bytes, want 32`);
    proof.push(h);
  }
  const note = text.slice(pos);
  try {
    const parsed = parseNote(note);
    return { oldSize, proof, note, parsed, checkpoint: parseCheckpoint(parsed.text) };
  } catch (e) {
    if (!isCeremonyError(e)) throw e;
    bad('checkpoint', `${e.message} [${e.code}]`, e);
  }
}
