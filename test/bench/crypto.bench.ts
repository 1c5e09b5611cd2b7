/**
 * Crypto backend benchmarks (ceremony/crypto): each record is one operation on the portable backend
 * (@noble/curves) with the native backend (node:crypto) as its floor, so `ratio` = how many times
 * slower portable is on this machine. Both sides go through the backends' full functions (argument
 * checks, key import into node:crypto KeyObjects on the native side), as callers use them.
 *
 * - `ed25519.verify portable/native`, `ed25519.sign portable/native`: 256-byte message.
 * - `p256.verify portable/native`, `p256.sign portable/native`: 256-byte message, uncompressed key.
 * - `x25519.sharedSecret portable/native`.
 * - `sha256 1KiB portable/native`.
 *
 * `--quick` takes fewer, shorter samples.
 */
import { nativeBackend, portable } from '../../ceremony/crypto/index.js';
import type { CryptoBackend } from '../../ceremony/crypto/index.js';
import type { Benchmark, BenchRecord } from './lib.js';
import { measureNs, ratioRecord } from './lib.js';

/** Fixed inputs, so runs measure the same work. */
const seed = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const message = Uint8Array.from({ length: 256 }, (_, i) => (i * 7) & 0xff);
const data = Uint8Array.from({ length: 1024 }, (_, i) => (i * 13) & 0xff);

type Op = (b: CryptoBackend) => () => unknown;

/** Each operation, prepared once per backend (keys and signatures outside the timed loop). */
const ops: [string, Op][] = [
  [
    'ed25519.verify',
    (b) => {
      const pk = b.ed25519.getPublicKey(seed);
      const sig = b.ed25519.sign(seed, message);
      if (!b.ed25519.verify(pk, message, sig)) throw new Error('bench: ed25519 verify failed');
      return () => b.ed25519.verify(pk, message, sig);
    },
  ],
  ['ed25519.sign', (b) => () => b.ed25519.sign(seed, message)],
  [
    'p256.verify',
    (b) => {
      const pk = b.p256.getPublicKey(seed);
      const sig = b.p256.sign(seed, message);
      if (!b.p256.verify(pk, message, sig)) throw new Error('bench: p256 verify failed');
      return () => b.p256.verify(pk, message, sig);
    },
  ],
  ['p256.sign', (b) => () => b.p256.sign(seed, message)],
  [
    'x25519.sharedSecret',
    (b) => {
      const peer = b.x25519.getPublicKey(message.subarray(0, 32));
      return () => b.x25519.sharedSecret(seed, peer);
    },
  ],
  ['sha256 1KiB', (b) => () => b.sha256(data)],
];

const bench: Benchmark = {
  name: 'crypto',
  async run(ctx) {
    const native = nativeBackend();
    if (native === undefined) throw new Error('bench: the native crypto backend is unavailable');
    const options = ctx.quick ? { sampleMs: 20, samples: 3 } : { sampleMs: 100, samples: 7 };
    const records: BenchRecord[] = [];
    for (const [name, op] of ops) {
      const portableNs = measureNs(op(portable), options);
      const nativeNs = measureNs(op(native), options);
      ctx.log(
        `${name}: portable ${(portableNs / 1000).toFixed(1)} µs, native ${(nativeNs / 1000).toFixed(1)} µs`,
      );
      records.push(ratioRecord(`${name} portable/native`, portableNs, nativeNs, 'ns/op'));
    }
    return records;
  },
};

export default bench;
