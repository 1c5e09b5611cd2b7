/**
 * The operator counter-signature (DESIGN §4; bytes in docs/formats.md, "Operator
 * counter-signature"): the operator's HSM key signs
 *
 *     "fleet-ceremony operator counter-signature v1" || 0x00 || SHA-256(statement) || witness signature
 *
 * i.e. a fixed context string (domain separation: these bytes can never be a witness statement, a
 * signed note or anything else the key signs), the digest of the witness statement message, and
 * the witness's 64-byte signature. Binding the statement as well as the signature means the
 * operator endorses exactly what the witness signed without relying on signatures being unique
 * for their message (Ed25519 strict verification gives that, other schemes need not).
 *
 * Ed25519 (pure, over the message) or ECDSA P-256 (over SHA-256 of the message, raw `r || s`),
 * exactly what the `Hsm` interface's `sign` produces for either algorithm.
 *
 * Portable: no `node:` imports (the HSM is reached only through the structural
 * {@link CountersignHsm} type).
 */
import { concatBytes, utf8Encode } from '../codec/index.js';
import { ed25519, p256, sha256 } from '../crypto/index.js';
import { UsageError } from '../errors.js';
import { MAX_STATEMENT_BYTES } from './encoding.js';

/** The context string, followed by a 0x00 byte in the signed message. */
export const COUNTERSIGNATURE_CONTEXT = 'fleet-ceremony operator counter-signature v1';
/** Length of a counter-signature: Ed25519, or P-256 raw `r || s`. */
export const COUNTERSIGNATURE_SIZE = 64;

const PREFIX = concatBytes(utf8Encode(COUNTERSIGNATURE_CONTEXT), new Uint8Array(1));

/** What {@link countersign} needs of an HSM: any `Hsm` (emulated or PKCS#11) has it. */
export interface CountersignHsm {
  findKey(
    label: string,
  ): Promise<{ algorithm: string; publicKey: Uint8Array; usages: readonly string[] } | undefined>;
  sign(label: string, message: Uint8Array): Promise<Uint8Array>;
}

/** The algorithms of operator counter-signing keys. */
export type CountersignAlgorithm = 'ed25519' | 'p256';

function check(witnessSignature: Uint8Array, statement: Uint8Array): void {
  if (!(witnessSignature instanceof Uint8Array) || witnessSignature.length !== 64) {
    throw new UsageError('COUNTERSIGN_INPUT_INVALID', 'witnessSignature: want 64 bytes (Ed25519)', {
      field: 'witnessSignature',
    });
  }
  if (
    !(statement instanceof Uint8Array) ||
    statement.length === 0 ||
    statement.length > MAX_STATEMENT_BYTES
  ) {
    throw new UsageError('COUNTERSIGN_INPUT_INVALID', `statement: want 1 … ${MAX_STATEMENT_BYTES} bytes`, {
      field: 'statement',
    });
  }
}

/**
 * The message an operator counter-signs.
 *
 * @param witnessSignature - the witness's 64-byte signature.
 * @param statement - the encoded witness statement it signs.
 * @returns context || 0x00 || SHA-256(statement) || witnessSignature (141 bytes).
 * @throws UsageError `COUNTERSIGN_INPUT_INVALID` for a signature not 64 bytes or an empty or
 *   oversized statement.
 */
export function countersignMessage(witnessSignature: Uint8Array, statement: Uint8Array): Uint8Array {
  check(witnessSignature, statement);
  return concatBytes(PREFIX, sha256(statement), witnessSignature);
}

/**
 * Counter-signs a witness signature with the operator key `label` inside an HSM, then verifies
 * the result with the key's public half before returning it.
 *
 * @param hsm - an open `Hsm` (emulated or PKCS#11), logged in.
 * @param label - the operator key: Ed25519 or P-256, usage `sign`.
 * @returns the 64-byte counter-signature and the key's algorithm and public key.
 * @throws UsageError `COUNTERSIGN_INPUT_INVALID`, `COUNTERSIGN_KEY_NOT_FOUND`,
 *   `COUNTERSIGN_KEY_UNSUITABLE` (X25519, or no `sign` usage), `COUNTERSIGN_SELF_CHECK_FAILED`
 *   (the device returned something that does not verify); and whatever the HSM throws.
 */
export async function countersign(
  hsm: CountersignHsm,
  label: string,
  witnessSignature: Uint8Array,
  statement: Uint8Array,
): Promise<{ signature: Uint8Array; algorithm: CountersignAlgorithm; publicKey: Uint8Array }> {
  const message = countersignMessage(witnessSignature, statement);
  const key = await hsm.findKey(label);
  if (key === undefined) {
    throw new UsageError('COUNTERSIGN_KEY_NOT_FOUND', `label: no key ${JSON.stringify(label)} in the HSM`, {
      field: 'label',
    });
  }
  const algorithm = key.algorithm;
  if ((algorithm !== 'ed25519' && algorithm !== 'p256') || !key.usages.includes('sign')) {
    throw new UsageError(
      'COUNTERSIGN_KEY_UNSUITABLE',
      `label: key ${JSON.stringify(label)} is ${algorithm} [${key.usages.join(', ')}], want an ed25519 or p256 signing key`,
      { field: 'label' },
    );
  }
  const signature = await hsm.sign(label, message);
  if (!verifyCountersignature(algorithm, key.publicKey, witnessSignature, statement, signature)) {
    throw new UsageError(
      'COUNTERSIGN_SELF_CHECK_FAILED',
      `the HSM's ${algorithm} signature does not verify`,
      {
        field: 'signature',
      },
    );
  }
  return { signature, algorithm, publicKey: key.publicKey.slice() };
}

/**
 * Verifies an operator counter-signature.
 *
 * @param algorithm - `ed25519` or `p256` (ECDSA over SHA-256 of the message).
 * @param publicKey - the pinned operator key (Ed25519 32 bytes; P-256 SEC 1).
 * @returns whether `countersignature` is valid; false for any signature of the wrong length.
 * @throws UsageError `COUNTERSIGN_INPUT_INVALID` (as {@link countersignMessage}) or
 *   `COUNTERSIGN_KEY_UNSUITABLE` for another algorithm; MalformedError `CRYPTO_*` for a public
 *   key that is not valid.
 */
export function verifyCountersignature(
  algorithm: CountersignAlgorithm,
  publicKey: Uint8Array,
  witnessSignature: Uint8Array,
  statement: Uint8Array,
  countersignature: Uint8Array,
): boolean {
  const message = countersignMessage(witnessSignature, statement);
  if (!(countersignature instanceof Uint8Array) || countersignature.length !== COUNTERSIGNATURE_SIZE)
    return false;
  if (algorithm === 'ed25519') return ed25519.verify(publicKey, message, countersignature);
  if (algorithm === 'p256') return p256.verify(publicKey, message, countersignature);
  throw new UsageError(
    'COUNTERSIGN_KEY_UNSUITABLE',
    `algorithm: got ${String(algorithm)}, want ed25519 or p256`,
    {
      field: 'algorithm',
    },
  );
}
