/**
 * HSS/LMS signature verification (RFC 8554 §6.3 and §5.4.2, Algorithms 6a, 6 and 4b) for the
 * SHA-256, n = 32 parameter sets: LMS_SHA256_M32_H5…H25 with LMOTS_SHA256_N32_W1…W8.
 *
 * The QASM signs each attestation with an HSS key next to its ECDSA P-384 key; checking both means
 * every byte of the message is covered by a verified signature.
 *
 * Verification only, on public data. Portable: no `node:` imports.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { equalBytes } from '../../../codec/index.js';

const N = 32;
/** LMS typecodes (RFC 8554 §8.1) → tree height. */
const LMS_HEIGHT: ReadonlyMap<number, number> = new Map([
  [5, 5],
  [6, 10],
  [7, 15],
  [8, 20],
  [9, 25],
]);
/** LM-OTS typecodes (§8.1) → [w, p, ls]. */
const OTS_PARAMS: ReadonlyMap<number, [number, number, number]> = new Map([
  [1, [1, 265, 7]],
  [2, [2, 133, 6]],
  [3, [4, 67, 4]],
  [4, [8, 34, 0]],
]);
const D_PBLC = 0x8080;
const D_MESG = 0x8181;
const D_LEAF = 0x8282;
const D_INTR = 0x8383;
const MAX_LEVELS = 8;

const u32 = (b: Uint8Array, o: number): number =>
  ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
const u32str = (v: number): Uint8Array =>
  Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
const u16str = (v: number): Uint8Array => Uint8Array.of(v >>> 8, v & 0xff);

function hash(...parts: Uint8Array[]): Uint8Array {
  const h = sha256.create();
  for (const p of parts) h.update(p);
  return h.digest();
}

/** coef(S, i, w) of §3.1.3. */
function coef(s: Uint8Array, i: number, w: number): number {
  return (s[Math.floor((i * w) / 8)]! >>> (8 - (w * (i % (8 / w)) + w))) & ((1 << w) - 1);
}

/** Candidate LM-OTS public key from a signature (Algorithm 4b), or undefined if malformed. */
function otsCandidate(
  sig: Uint8Array,
  id: Uint8Array,
  q: number,
  message: Uint8Array,
): Uint8Array | undefined {
  const params = OTS_PARAMS.get(u32(sig, 0));
  if (params === undefined) return undefined;
  const [w, p, ls] = params;
  if (sig.length !== 4 + N * (p + 1)) return undefined;
  const c = sig.subarray(4, 4 + N);
  const qq = hash(id, u32str(q), u16str(D_MESG), c, message);
  let sum = 0;
  for (let i = 0; i < (N * 8) / w; i++) sum += (1 << w) - 1 - coef(qq, i, w);
  const checked = new Uint8Array(N + 2);
  checked.set(qq);
  checked.set(u16str((sum << ls) & 0xffff), N);
  // One buffer per chain step: I || u32str(q) || u16str(i) || u8str(j) || tmp (16 + 4 + 2 + 1 + n bytes).
  const step = new Uint8Array(23 + N);
  step.set(id, 0);
  step.set(u32str(q), 16);
  const z: Uint8Array[] = [];
  for (let i = 0; i < p; i++) {
    step[20] = i >>> 8;
    step[21] = i & 0xff;
    let tmp = sig.subarray(4 + N * (i + 1), 4 + N * (i + 2));
    for (let j = coef(checked, i, w); j < (1 << w) - 1; j++) {
      step[22] = j;
      step.set(tmp, 23);
      tmp = sha256(step);
    }
    z.push(tmp);
  }
  return hash(id, u32str(q), u16str(D_PBLC), ...z);
}

/** LMS verification (Algorithm 6a); `pub` and `sig` must be exactly one key and one signature. */
function verifyLms(pub: Uint8Array, sig: Uint8Array, message: Uint8Array): boolean {
  if (pub.length !== 24 + N || sig.length < 8) return false;
  const height = LMS_HEIGHT.get(u32(pub, 0));
  const otsType = u32(pub, 4);
  const id = pub.subarray(8, 24);
  const q = u32(sig, 0);
  const ots = OTS_PARAMS.get(otsType);
  if (height === undefined || ots === undefined || u32(sig, 4) !== otsType) return false;
  const otsLen = 4 + N * (ots[1] + 1);
  if (sig.length !== 4 + otsLen + 4 + height * N || u32(sig, 4 + otsLen) !== u32(pub, 0) || q >= 2 ** height)
    return false;
  const kc = otsCandidate(sig.subarray(4, 4 + otsLen), id, q, message);
  if (kc === undefined) return false;
  let node = 2 ** height + q;
  let tmp = hash(id, u32str(node), u16str(D_LEAF), kc);
  const path = sig.subarray(8 + otsLen);
  for (let i = 0; i < height; i++) {
    const sibling = path.subarray(i * N, (i + 1) * N);
    tmp =
      node % 2 === 1
        ? hash(id, u32str(node >>> 1), u16str(D_INTR), sibling, tmp)
        : hash(id, u32str(node >>> 1), u16str(D_INTR), tmp, sibling);
    node >>>= 1;
  }
  return equalBytes(tmp, pub.subarray(24));
}

/** Length of the LMS signature that starts at `sig[o]`, or undefined. */
function lmsSignatureLength(sig: Uint8Array, o: number): number | undefined {
  if (o + 8 > sig.length) return undefined;
  const ots = OTS_PARAMS.get(u32(sig, o + 4));
  if (ots === undefined) return undefined;
  const otsLen = 4 + N * (ots[1] + 1);
  if (o + 4 + otsLen + 4 > sig.length) return undefined;
  const height = LMS_HEIGHT.get(u32(sig, o + 4 + otsLen));
  return height === undefined ? undefined : 4 + otsLen + 4 + height * N;
}

/**
 * Verifies an HSS signature (Algorithm 6) of `message` under the HSS public key `pub`
 * (u32 L, then the top-level LMS public key). Returns false for anything malformed.
 *
 * @example verifyHss(hssPublicKey, claimsDer, signature) // true or false
 */
export function verifyHss(pub: Uint8Array, message: Uint8Array, sig: Uint8Array): boolean {
  if (pub.length !== 4 + 24 + N || sig.length < 4) return false;
  const levels = u32(pub, 0);
  const nspk = u32(sig, 0);
  if (levels < 1 || levels > MAX_LEVELS || nspk + 1 !== levels) return false;
  let key = pub.subarray(4);
  let o = 4;
  for (let i = 0; i < nspk; i++) {
    const len = lmsSignatureLength(sig, o);
    if (len === undefined || o + len + 24 + N > sig.length) return false;
    const lmsSig = sig.subarray(o, o + len);
    const next = sig.subarray(o + len, o + len + 24 + N);
    if (!verifyLms(key, lmsSig, next)) return false;
    key = next;
    o += len + 24 + N;
  }
  return verifyLms(key, sig.subarray(o), message);
}
