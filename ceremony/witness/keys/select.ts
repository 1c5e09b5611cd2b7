/**
 * Which statement key signed (or signs) at a given time: the key with the greatest `notBefore`
 * at or before the timestamp (Plexi's rotation rule). Verifiers use it with the statement's own
 * timestamp, so a statement signed before a rotation keeps verifying under the old key, and a
 * key id (last byte of the public key) that does not match the chosen key is refused.
 *
 * Portable: no `node:` imports.
 */

/** A statement public key with the time it signs from. */
export interface DatedKey {
  publicKey: Uint8Array;
  /** Milliseconds since the Unix epoch. */
  notBefore: number | bigint;
}

/**
 * The key in force at `timestamp` (ms), or undefined if every key starts later.
 * Requires nothing of the order of `keys`; ties go to the later entry.
 */
export function selectStatementKey<K extends DatedKey>(
  keys: readonly K[],
  timestamp: number | bigint,
): K | undefined {
  const t = BigInt(timestamp);
  let best: K | undefined;
  for (const k of keys) {
    const nb = BigInt(k.notBefore);
    if (nb <= t && (best === undefined || nb >= BigInt(best.notBefore))) best = k;
  }
  return best;
}
