/**
 * Ed25519 checkpoint cosignatures, c2sp.org/tlog-cosignature ("Format", "Ed25519 signed
 * message"): signature type 0x04; the note signature is `timestamped_signature` = u64 big-endian
 * POSIX timestamp (≤ 2^63 − 1) || Ed25519 signature over
 *
 *     cosignature/v1\n
 *     time <timestamp>\n
 *     <the whole checkpoint note text>
 *
 * Portable: no `node:` imports.
 */
import { formatDecimal } from '../codec/index.js';
import { ed25519 } from '../crypto/index.js';
import { UsageError } from '../errors.js';
import { parseCheckpoint } from './checkpoint.js';
import { keyIdFor } from './key-id.js';
import { utf8 } from './text.js';
import { assertKeyName, ed25519VerifySafe, SIGNATURE_TYPE_COSIGNATURE_V1 } from './verifier.js';
import type { Signer, Verifier } from './verifier.js';

/** Largest timestamp a cosignature may carry: 2^63 − 1. */
export const MAX_COSIGNATURE_TIMESTAMP = (1n << 63n) - 1n;

/** Length of a cosignature/v1 signature: 8-byte timestamp and 64-byte Ed25519 signature. */
export const COSIGNATURE_V1_SIZE = 72;

function toTimestamp(t: bigint | number): bigint {
  const ok =
    typeof t === 'bigint' ? t >= 0n && t <= MAX_COSIGNATURE_TIMESTAMP : Number.isSafeInteger(t) && t >= 0;
  if (!ok) {
    throw new UsageError(
      'COSIGNATURE_TIMESTAMP_INVALID',
      `cosignature.timestamp: got ${String(t)}, want 0..2^63-1`,
      {
        field: 'cosignature.timestamp',
      },
    );
  }
  return BigInt(t);
}

/**
 * The message a cosignature/v1 signs (c2sp.org/tlog-cosignature, "Ed25519 signed message").
 *
 * @param checkpointText - the cosigned checkpoint's note text (without signature lines).
 * @param timestamp - POSIX seconds, 0..2^63 − 1.
 * @throws MalformedError as `parseCheckpoint` when the text is not a checkpoint.
 * @throws UsageError `COSIGNATURE_TIMESTAMP_INVALID`.
 */
export function cosignatureMessage(
  checkpointText: string | Uint8Array,
  timestamp: bigint | number,
): Uint8Array {
  const ts = toTimestamp(timestamp);
  parseCheckpoint(checkpointText);
  const body = typeof checkpointText === 'string' ? utf8(checkpointText) : checkpointText;
  const header = utf8(`cosignature/v1\ntime ${formatDecimal(ts)}\n`);
  const out = new Uint8Array(header.length + body.length);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

/** The timestamp of a cosignature/v1 signature (its first 8 bytes, big-endian). */
export function cosignatureTimestamp(signature: Uint8Array): bigint {
  if (signature.length !== COSIGNATURE_V1_SIZE) {
    throw new UsageError('COSIGNATURE_LENGTH_INVALID', `cosignature: got ${signature.length} bytes, want 72`);
  }
  return new DataView(signature.buffer, signature.byteOffset, 8).getBigUint64(0, false);
}

/**
 * A verifier of cosignature/v1 signatures (type 0x04), usable in `openNote`. A note text that is
 * not a checkpoint, a timestamp above 2^63 − 1 or a bad length makes `verify` answer `false`.
 *
 * @param name - cosigner name; non-empty, no spaces or `+`.
 * @param publicKey - 32-byte Ed25519 public key.
 * @throws UsageError `KEY_NAME_INVALID`, `KEY_LENGTH_INVALID`.
 */
export function cosignatureVerifier(name: string, publicKey: Uint8Array): Verifier {
  assertKeyName(name, 'verifier.name');
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new UsageError('KEY_LENGTH_INVALID', 'verifier.publicKey: want 32 bytes', {
      field: 'verifier.publicKey',
    });
  }
  const pk = publicKey.slice();
  const timestamp = (sig: Uint8Array): bigint | undefined =>
    sig.length === COSIGNATURE_V1_SIZE ? cosignatureTimestamp(sig) : undefined;
  return {
    name,
    keyId: keyIdFor(name, SIGNATURE_TYPE_COSIGNATURE_V1, pk),
    type: SIGNATURE_TYPE_COSIGNATURE_V1,
    publicKey: pk,
    timestamp,
    verify(message, signature) {
      const ts = timestamp(signature);
      if (ts === undefined || ts > MAX_COSIGNATURE_TIMESTAMP) return false;
      let signed: Uint8Array;
      try {
        signed = cosignatureMessage(message, ts);
      } catch {
        return false; // not a checkpoint: a cosigner never signs it
      }
      return ed25519VerifySafe(pk, signed, signature.subarray(8));
    },
  };
}

/** Options of {@link cosignatureSigner}. */
export interface CosignatureSignerOptions {
  /** The clock, in POSIX seconds; defaults to the system clock. */
  now?: () => bigint | number;
}

/**
 * A cosignature/v1 signer (type 0x04) for `signNote`/`appendNoteSignatures`. It refuses to sign a
 * note text that is not a checkpoint.
 *
 * @param name - cosigner name; non-empty, no spaces or `+`.
 * @param secretKey - 32-byte Ed25519 seed; copied.
 * @throws UsageError `KEY_NAME_INVALID`, `KEY_LENGTH_INVALID`; at signing, MalformedError from
 *   `parseCheckpoint` and UsageError `COSIGNATURE_TIMESTAMP_INVALID` for a bad clock.
 */
export function cosignatureSigner(
  name: string,
  secretKey: Uint8Array,
  options: CosignatureSignerOptions = {},
): Signer {
  assertKeyName(name, 'signer.name');
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32) {
    throw new UsageError('KEY_LENGTH_INVALID', 'signer.secretKey: want 32 bytes', {
      field: 'signer.secretKey',
    });
  }
  const sk = secretKey.slice();
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  return {
    name,
    keyId: keyIdFor(name, SIGNATURE_TYPE_COSIGNATURE_V1, ed25519.getPublicKey(sk)),
    type: SIGNATURE_TYPE_COSIGNATURE_V1,
    sign(message) {
      const ts = toTimestamp(now());
      const sig = ed25519.sign(sk, cosignatureMessage(message, ts));
      const out = new Uint8Array(COSIGNATURE_V1_SIZE);
      new DataView(out.buffer).setBigUint64(0, ts, false);
      out.set(sig, 8);
      return out;
    },
  };
}
