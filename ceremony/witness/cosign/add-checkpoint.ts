/**
 * The tlog-witness `add-checkpoint` handler (c2sp.org/tlog-witness): cosigns another log's
 * checkpoint with the witness's cosignature/v1 key if it is signed by the log's configured key and
 * consistent with the latest checkpoint the witness cosigned for that origin.
 *
 * Statuses as the spec requires: unknown origin 404; no valid signature by a trusted key, or a
 * trusted key's signature that fails, 403; old size above the checkpoint size 400; old size not the
 * size last cosigned 409 with body `<size>\n` (`text/x.tlog.size`); a size-0 checkpoint without
 * the empty root, a non-empty proof from 0, a proof that does not verify, or a different root for
 * the same size 422. The check of the old size and the update of the record happen in one
 * transaction, inside the witness's signing queue, so no request can roll the record back.
 */
import { base64Encode, equalBytes } from '../../codec/index.js';
import { isCeremonyError, VerificationError } from '../../errors.js';
import {
  emptyRoot,
  openCheckpoint,
  parseVerifierKey,
  SIGNATURE_PREFIX,
  verifyConsistency,
} from '../../tlog/index.js';
import { refuse, WitnessError } from '../codes.js';
import type { WitnessContext } from '../context.js';
import { parseAddCheckpoint } from './request.js';

/** Content type of the 409 reply body. */
export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size';

function conflict(size: bigint, old: bigint): never {
  throw new WitnessError(
    'CHECKPOINT_OLD_SIZE_MISMATCH',
    `old: got ${old}, but the latest cosigned checkpoint has size ${size}`,
    {
      field: 'old',
      body: { contentType: TLOG_SIZE_CONTENT_TYPE, text: `${size}\n` },
    },
  );
}

/**
 * Handles one add-checkpoint body; returns the cosignature line(s) to send back.
 * @throws WitnessError with the statuses above.
 */
export async function addCheckpoint(ctx: WitnessContext, body: Uint8Array): Promise<string> {
  const req = parseAddCheckpoint(body);
  const { origin, size, rootHash } = req.checkpoint;
  const log = ctx.config().cosigning.logs.find((l) => l.origin === origin);
  if (log === undefined)
    refuse(
      'CHECKPOINT_ORIGIN_UNKNOWN',
      'checkpoint.origin',
      `this witness does not cosign ${JSON.stringify(origin.slice(0, 200))}`,
    );
  const verifiers = log.verifierKeys.map((k) => parseVerifierKey(k));
  try {
    openCheckpoint(req.note, verifiers, { origin });
  } catch (e) {
    if (!(e instanceof VerificationError) && !(isCeremonyError(e) && e.code === 'NOTE_DUPLICATE_SIGNATURE'))
      throw e;
    refuse('CHECKPOINT_SIGNATURE_REFUSED', 'checkpoint.signatures', `${e.message} [${e.code}]`);
  }
  if (req.oldSize > size)
    refuse(
      'CHECKPOINT_OLD_SIZE_TOO_LARGE',
      'old',
      `${req.oldSize} is larger than the checkpoint size ${size}`,
    );
  if (size === 0n && !equalBytes(rootHash, emptyRoot())) {
    refuse(
      'CHECKPOINT_EMPTY_ROOT_INVALID',
      'checkpoint.rootHash',
      'a checkpoint of size 0 must have the empty tree root',
    );
  }
  if (req.oldSize === 0n && req.proof.length > 0)
    refuse('CHECKPOINT_PROOF_INVALID', 'proof', 'must be empty when the old size is 0');
  return ctx.serial.run(async () => {
    const stored = ctx.state.cosigned(origin);
    const storedSize = stored?.size ?? 0n;
    if (req.oldSize !== storedSize) conflict(storedSize, req.oldSize);
    if (stored !== undefined && req.oldSize > 0n) {
      if (req.oldSize === size) {
        if (!equalBytes(stored.rootHash, rootHash)) {
          refuse(
            'CHECKPOINT_ROOT_MISMATCH',
            'checkpoint.rootHash',
            `differs from the root cosigned for size ${size}`,
          );
        }
      } else if (!verifyConsistency(req.oldSize, size, stored.rootHash, rootHash, req.proof)) {
        refuse(
          'CHECKPOINT_PROOF_INVALID',
          'proof',
          `does not prove size ${size} extends the cosigned size ${req.oldSize}`,
        );
      }
    }
    const c = ctx.keys.cosigner;
    const sig = await c.sign(req.parsed.textBytes);
    const raw = new Uint8Array(4 + sig.length);
    new DataView(raw.buffer).setUint32(0, c.keyId, false);
    raw.set(sig, 4);
    const line = `${SIGNATURE_PREFIX}${c.name} ${base64Encode(raw)}\n`;
    // Keep the log's verified signatures and ours: what the monitoring endpoint serves.
    const known = new Set(verifiers.map((v) => `${v.keyId}:${v.name}`));
    const logLines = req.parsed.signatures
      .filter((s) => known.has(`${s.keyId}:${s.name}`))
      .map((s) => `${SIGNATURE_PREFIX}${s.name} ${s.base64}\n`);
    const note = `${req.parsed.text}\n${logLines.join('')}${line}`;
    const r = ctx.state.storeCosigned(req.oldSize, { origin, size, rootHash, note });
    if (!r.ok) conflict(r.size, req.oldSize);
    return line;
  });
}
