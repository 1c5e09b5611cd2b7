/**
 * The witness's wire formats, decoded strictly: the submission (CBOR), the tlog-witness
 * add-checkpoint body, the counter-signature upload; and the per-operator rate limiter.
 */
import { describe, expect, it } from 'vitest';
import { encodeCbor, utf8Encode } from '../../../ceremony/codec/index.js';
import {
  emptyRoot,
  formatCheckpoint,
  generateSignerKey,
  parseSignerKey,
  signNote,
} from '../../../ceremony/tlog/index.js';
import { RateLimiter } from '../../../ceremony/witness/auth/rate-limit.js';
import { parseAddCheckpoint } from '../../../ceremony/witness/cosign/request.js';
import {
  decodeStoredCountersignature,
  encodeCountersignature,
} from '../../../ceremony/witness/policy/countersignature.js';
import {
  decodeAttestations,
  decodeSubmission,
  encodeAttestations,
  encodeSubmission,
} from '../../../ceremony/witness/policy/submission.js';

const att = {
  keyId: 'k1',
  format: 'emulated-x509/v1',
  statement: new Uint8Array([1, 2]),
  chain: [new Uint8Array([3])],
};
const sub = {
  epoch: 2n,
  digest: new Uint8Array(32).fill(1),
  fleetKeySet: new Uint8Array([0xa0]),
  attestations: [att],
};

const code = (f: () => unknown) => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe('submission', () => {
  it('round-trips', () => {
    expect(decodeSubmission(encodeSubmission(sub), 1 << 20)).toEqual(sub);
    expect(decodeAttestations(encodeAttestations([att]))).toEqual([att]);
  });
  it('refuses trailing bytes, unknown fields, a wrong version, epoch 0 and a short digest', () => {
    const bytes = encodeSubmission(sub);
    expect(code(() => decodeSubmission(new Uint8Array([...bytes, 0]), 1 << 20))).toBe('SUBMISSION_MALFORMED');
    const m = { version: 1, epoch: 2n, digest: sub.digest, fleetKeySet: sub.fleetKeySet, attestations: [] };
    expect(code(() => decodeSubmission(encodeCbor({ ...m, more: 1 }), 1 << 20))).toBe('SUBMISSION_MALFORMED');
    expect(code(() => decodeSubmission(encodeCbor({ ...m, version: 2 }), 1 << 20))).toBe(
      'SUBMISSION_MALFORMED',
    );
    expect(code(() => decodeSubmission(encodeCbor({ ...m, epoch: 0 }), 1 << 20))).toBe(
      'SUBMISSION_MALFORMED',
    );
    expect(code(() => decodeSubmission(encodeCbor({ ...m, digest: new Uint8Array(33) }), 1 << 20))).toBe(
      'DIGEST_INVALID',
    );
    expect(
      code(() =>
        decodeSubmission(
          encodeCbor({ ...m, attestations: [{ ...att, chain: [new Uint8Array(0)] }] }),
          1 << 20,
        ),
      ),
    ).toBe('SUBMISSION_MALFORMED');
  });
});

describe('add-checkpoint body', () => {
  const note = signNote(
    formatCheckpoint({ origin: 'o', size: 0, rootHash: emptyRoot() }),
    parseSignerKey(generateSignerKey('o').signerKey),
  );
  const h = 'A'.repeat(43) + '=';
  it('parses old size, proof lines and the note', () => {
    const r = parseAddCheckpoint(utf8Encode(`old 3\n${h}\n${h}\n\n${note}`));
    expect(r.oldSize).toBe(3n);
    expect(r.proof).toHaveLength(2);
    expect(r.checkpoint.origin).toBe('o');
  });
  it('refuses a non-canonical size, a bad hash, 64 hashes, a missing blank line, a non-checkpoint', () => {
    for (const body of [
      `old 03\n\n${note}`,
      `old -1\n\n${note}`,
      `old 3\nAAAA\n\n${note}`,
      `old 3\n${`${h}\n`.repeat(64)}\n${note}`,
      'old 3\n',
      `old 3\n\nhello\n\n\u2014 o AAAAAAA=\n`,
    ]) {
      expect(code(() => parseAddCheckpoint(utf8Encode(body)))).toBe('CHECKPOINT_REQUEST_MALFORMED');
    }
  });
});

describe('counter-signature upload', () => {
  it('round-trips and refuses a wrong key length or algorithm', () => {
    const c = {
      algorithm: 'ed25519' as const,
      publicKey: new Uint8Array(32).fill(2),
      signature: new Uint8Array(64),
    };
    expect(decodeStoredCountersignature(encodeCountersignature(c))).toMatchObject(c);
    expect(
      code(() =>
        decodeStoredCountersignature(encodeCountersignature({ ...c, publicKey: new Uint8Array(31) })),
      ),
    ).toBe('FIELD_LENGTH');
    expect(
      code(() =>
        decodeStoredCountersignature(
          encodeCbor({ algorithm: 'rsa', publicKey: c.publicKey, signature: c.signature }),
        ),
      ),
    ).toBe('FIELD_PATTERN');
  });
});

describe('RateLimiter', () => {
  it('allows the burst, refuses with Retry-After, refills at the rate, and keeps operators apart', () => {
    const r = new RateLimiter();
    for (let i = 0; i < 3; i++) r.take('a', 0, 60, 3);
    let err: { code?: string; headers?: Record<string, string> } = {};
    try {
      r.take('a', 0, 60, 3);
    } catch (e) {
      err = e as typeof err;
    }
    expect(err.code).toBe('RATE_LIMITED');
    expect(err.headers?.['retry-after']).toBe('1');
    r.take('b', 0, 60, 3);
    expect(code(() => r.take('a', 500, 60, 3))).toBe('RATE_LIMITED');
    expect(code(() => r.take('a', 1000, 60, 3))).toBe('ok');
  });
});
