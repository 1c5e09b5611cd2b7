/**
 * DSA signature verification (FIPS 186-4 §4.7), which nShield uses for its security-world keys
 * (KNSO, the module's KML) and which neither WebCrypto nor @noble/curves offers.
 *
 * Verification only, on public values: plain `bigint` arithmetic is fine (no secret to leak
 * through timing).
 *
 * Portable: no `node:` imports.
 */

/** A DSA public key: domain parameters and the public value. */
export interface DsaPublicKey {
  p: bigint;
  q: bigint;
  g: bigint;
  y: bigint;
}

/** Modular inverse by the extended Euclidean algorithm. Requires `gcd(a, m) = 1`. */
function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1] = [a % m, m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}

function bitLength(n: bigint): number {
  return n.toString(2).length;
}

/** `a^x · b^y mod m` in one pass over the exponents' bits (Shamir's trick). Requires x, y >= 0. */
function modPow2(a: bigint, x: bigint, b: bigint, y: bigint, m: bigint): bigint {
  const ab = (a * b) % m;
  let result = 1n;
  for (let i = Math.max(bitLength(x), bitLength(y)) - 1; i >= 0; i--) {
    result = (result * result) % m;
    const bx = (x >> BigInt(i)) & 1n;
    const by = (y >> BigInt(i)) & 1n;
    if (bx && by) result = (result * ab) % m;
    else if (bx) result = (result * a) % m;
    else if (by) result = (result * b) % m;
  }
  return result;
}

/**
 * Verifies a DSA signature `(r, s)` over a message digest.
 *
 * The digest is truncated to the bit length of `q` (FIPS 186-4 §4.6: the leftmost min(N, outlen)
 * bits). Returns false, never throws, for any invalid input (out-of-range values included).
 *
 * @example verifyDsa(key, sha256(message), r, s)
 */
export function verifyDsa(key: DsaPublicKey, digest: Uint8Array, r: bigint, s: bigint): boolean {
  const { p, q, g, y } = key;
  if (p < 3n || q < 2n || (p - 1n) % q !== 0n) return false;
  if (g <= 1n || g >= p || y <= 1n || y >= p) return false;
  if (r <= 0n || r >= q || s <= 0n || s >= q) return false;
  const n = bitLength(q);
  let z = 0n;
  for (const b of digest) z = (z << 8n) | BigInt(b);
  const outlen = digest.length * 8;
  if (outlen > n) z >>= BigInt(outlen - n);
  const w = modInverse(s, q);
  const u1 = (z * w) % q;
  const u2 = (r * w) % q;
  const v = modPow2(g, u1, y, u2, p) % q;
  return v === r;
}
