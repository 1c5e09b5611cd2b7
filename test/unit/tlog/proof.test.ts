/**
 * tlog-proof (c2sp.org/tlog-proof): the text format exactly, round trips, strict parsing (one
 * change of a good proof per case), and verification of fresh proofs from an in-memory log:
 * every index verifies, every other leaf, index, origin or policy fails, and so does any one-byte
 * change of the proof.
 */
import { describe, expect, it } from 'vitest';
import {
  cosignatureSigner,
  cosignatureVerifier,
  ed25519Signer,
  ed25519Verifier,
  formatCheckpoint,
  formatTlogProof,
  hashLeaf,
  MemoryTree,
  parseTlogProof,
  signNote,
  verifyTlogProof,
} from '../../../ceremony/tlog/index.js';
import { CeremonyError } from '../../../ceremony/errors.js';
import { attempt, byteMutations, malformed, misuse, seededKey, unverified } from './helpers.js';

const ORIGIN = 'example.com/fancylog';
const logKey = seededKey(10);
const wKeys = [seededKey(11), seededKey(12)];
const wNames = ['witness1.example', 'witness2.example'];
const logSigner = ed25519Signer(ORIGIN, logKey.secretKey);
const verifiers = [
  ed25519Verifier(ORIGIN, logKey.publicKey),
  ...wKeys.map((k, i) => cosignatureVerifier(wNames[i]!, k.publicKey)),
];
const cosigners = wKeys.map((k, i) => cosignatureSigner(wNames[i]!, k.secretKey, { now: () => 1700000000 }));

const entry = (i: number): Uint8Array => new TextEncoder().encode(`entry ${i}`);
const tree = new MemoryTree();
const SIZE = 13;
for (let i = 0; i < SIZE; i++) tree.append(entry(i));
const checkpoint = signNote(formatCheckpoint({ origin: ORIGIN, size: SIZE, rootHash: tree.root() }), [
  logSigner,
  ...cosigners,
]);
const proofFor = (index: number, extra?: Uint8Array): string =>
  formatTlogProof({ index, proof: tree.proveInclusion(index), checkpoint, ...(extra ? { extra } : {}) });
const all = { origin: ORIGIN, cosigners: wNames, quorum: 2 };

describe('tlog-proof text format', () => {
  it('lays out header, extra, index, hashes, blank line, checkpoint', () => {
    const text = proofFor(5, new Uint8Array([1, 2, 3]));
    const hashes = tree.proveInclusion(5).map((h) => Buffer.from(h).toString('base64'));
    expect(text).toBe(
      ['c2sp.org/tlog-proof@v1', 'extra AQID', 'index 5', ...hashes, ''].join('\n') + '\n' + checkpoint,
    );
  });

  it('omits the extra line when there is none and round trips', () => {
    for (const extra of [undefined, new Uint8Array([0])]) {
      const text = proofFor(0, extra);
      expect(text.includes('\nextra ')).toBe(extra !== undefined);
      const p = parseTlogProof(text);
      expect(p.index).toBe(0n);
      expect(p.checkpoint).toBe(checkpoint);
      expect(formatTlogProof(p)).toBe(text);
    }
  });

  it('allows a proof without hashes (a tree of one leaf)', () => {
    const one = new MemoryTree();
    one.append(entry(0));
    const cp = signNote(formatCheckpoint({ origin: ORIGIN, size: 1, rootHash: one.root() }), logSigner);
    const text = formatTlogProof({ index: 0, proof: [], checkpoint: cp });
    expect(text.startsWith('c2sp.org/tlog-proof@v1\nindex 0\n\n')).toBe(true);
    expect(verifyTlogProof(text, { entry: entry(0) }, verifiers).index).toBe(0n);
  });

  const good = proofFor(5, new Uint8Array([1, 2, 3]));
  const h0 = Buffer.from(tree.proveInclusion(5)[0]!).toString('base64');
  const cases: [string, string, string][] = [
    ['another header', good.replace('tlog-proof@v1', 'tlog-proof@v2'), 'PROOF_MALFORMED'],
    ['header with a trailing space', good.replace('@v1\n', '@v1 \n'), 'PROOF_MALFORMED'],
    ['no index line', good.replace('index 5\n', ''), 'PROOF_MALFORMED'],
    ['index before extra', good.replace('extra AQID\nindex 5', 'index 5\nextra AQID'), 'PROOF_HASH_INVALID'],
    ['empty extra', good.replace('extra AQID', 'extra '), 'PROOF_EXTRA_INVALID'],
    ['extra not base64', good.replace('extra AQID', 'extra AQI'), 'PROOF_EXTRA_INVALID'],
    ['extra without space', good.replace('extra AQID', 'extraAQID'), 'PROOF_MALFORMED'],
    ['leading zero in index', good.replace('index 5', 'index 05'), 'PROOF_INDEX_INVALID'],
    ['negative index', good.replace('index 5', 'index -5'), 'PROOF_INDEX_INVALID'],
    ['index 2^63', good.replace('index 5', 'index 9223372036854775808'), 'PROOF_INDEX_INVALID'],
    ['two spaces before the index', good.replace('index 5', 'index  5'), 'PROOF_INDEX_INVALID'],
    ['hash of 31 bytes', good.replace(h0, Buffer.alloc(31).toString('base64')), 'PROOF_HASH_INVALID'],
    ['hash not canonical base64', good.replace(h0, h0.slice(0, -1)), 'PROOF_HASH_INVALID'],
    ['64 hashes', good.replace('index 5\n', 'index 5\n' + `${h0}\n`.repeat(64)), 'PROOF_TOO_MANY_HASHES'],
    ['no blank line', 'c2sp.org/tlog-proof@v1\nindex 5\n' + h0 + '\n', 'PROOF_MALFORMED'],
    ['ends after the header', 'c2sp.org/tlog-proof@v1\n', 'PROOF_MALFORMED'],
    ['no final newline in the header', 'c2sp.org/tlog-proof@v1', 'PROOF_MALFORMED'],
    [
      'a checkpoint without signatures',
      good.slice(0, good.indexOf(checkpoint)) + checkpoint.split('\n\n')[0] + '\n',
      'NOTE_MALFORMED',
    ],
    [
      'a note that is no checkpoint',
      good.slice(0, good.indexOf(checkpoint)) + signNote('x\n', logSigner),
      'CHECKPOINT_MALFORMED',
    ],
    ['a carriage return', good.replace('index 5\n', 'index 5\r\n'), 'PROOF_CONTROL_CHARACTER'],
    ['over 1e6 bytes', good.replace('extra AQID', 'extra ' + 'A'.repeat(1_000_000)), 'PROOF_TOO_LARGE'],
  ];
  it('the good fixture parses', () => {
    expect(parseTlogProof(good).proof).toHaveLength(4);
  });
  for (const [what, text, code] of cases) {
    it(`refuses ${what} (${code})`, () => {
      malformed(() => parseTlogProof(text), code);
    });
  }

  it('refuses to format bad fields', () => {
    misuse(() => formatTlogProof({ index: -1, proof: [], checkpoint }), 'PROOF_INDEX_INVALID');
    misuse(
      () => formatTlogProof({ index: 0, proof: [new Uint8Array(31)], checkpoint }),
      'PROOF_HASH_INVALID',
    );
    misuse(
      () => formatTlogProof({ index: 0, proof: Array(64).fill(new Uint8Array(32)), checkpoint }),
      'PROOF_TOO_MANY_HASHES',
    );
    malformed(() => formatTlogProof({ index: 0, proof: [], checkpoint: 'x\n' }), 'NOTE_MALFORMED');
  });
});

describe('verifyTlogProof', () => {
  it('verifies every index, by entry and by leaf hash, with both cosignatures', () => {
    for (let i = 0; i < SIZE; i++) {
      const r = verifyTlogProof(proofFor(i), { entry: entry(i) }, verifiers, all);
      expect(r.index).toBe(BigInt(i));
      expect(r.checkpoint.size).toBe(BigInt(SIZE));
      expect(r.signatures).toHaveLength(3);
      expect(verifyTlogProof(proofFor(i), { leafHash: hashLeaf(entry(i)) }, verifiers).index).toBe(BigInt(i));
    }
  });

  it('returns the extra data, unauthenticated', () => {
    expect([
      ...verifyTlogProof(proofFor(3, new Uint8Array([9])), { entry: entry(3) }, verifiers).extra!,
    ]).toEqual([9]);
  });

  it('rejects another entry', () => {
    unverified(() => verifyTlogProof(proofFor(4), { entry: entry(5) }, verifiers), 'PROOF_INCLUSION_INVALID');
  });

  it('rejects the right entry at another index', () => {
    const p = parseTlogProof(proofFor(4));
    const moved = formatTlogProof({ ...p, index: 6 });
    unverified(() => verifyTlogProof(moved, { entry: entry(4) }, verifiers), 'PROOF_INCLUSION_INVALID');
  });

  it('rejects a proof with a hash missing', () => {
    const p = parseTlogProof(proofFor(4));
    const short = formatTlogProof({ ...p, proof: p.proof.slice(1) });
    unverified(() => verifyTlogProof(short, { entry: entry(4) }, verifiers), 'PROOF_INCLUSION_INVALID');
  });

  it('rejects an index at or past the tree size', () => {
    const p = parseTlogProof(proofFor(4));
    const out = formatTlogProof({ ...p, index: SIZE });
    unverified(() => verifyTlogProof(out, { entry: entry(4) }, verifiers), 'PROOF_INDEX_OUT_OF_RANGE');
  });

  it('rejects another origin, a missing log key and an unmet quorum', () => {
    const p = proofFor(1);
    unverified(
      () => verifyTlogProof(p, { entry: entry(1) }, verifiers, { origin: 'x' }),
      'CHECKPOINT_ORIGIN_MISMATCH',
    );
    unverified(
      () => verifyTlogProof(p, { entry: entry(1) }, verifiers.slice(1)),
      'CHECKPOINT_LOG_SIGNATURE_MISSING',
    );
    const onlyOne = verifiers.slice(0, 2);
    unverified(() => verifyTlogProof(p, { entry: entry(1) }, onlyOne, all), 'COSIGNATURE_QUORUM_NOT_MET');
    expect(verifyTlogProof(p, { entry: entry(1) }, onlyOne, { ...all, quorum: 1 }).index).toBe(1n);
  });

  it('rejects a bad leaf argument', () => {
    misuse(
      () => verifyTlogProof(proofFor(1), { leafHash: new Uint8Array(31) }, verifiers),
      'PROOF_LEAF_INVALID',
    );
    misuse(() => verifyTlogProof(proofFor(1), {} as never, verifiers), 'PROOF_LEAF_INVALID');
  });

  it('fails on every one-byte change of a proof when all signatures are required', () => {
    const bytes = new TextEncoder().encode(proofFor(6, new Uint8Array([7, 7, 7])));
    const extraAt = new TextDecoder().decode(bytes).indexOf('extra ');
    let passed = 0;
    for (const [i, m] of byteMutations(bytes)) {
      const r = attempt(() => verifyTlogProof(m, { entry: entry(6) }, verifiers, all));
      if (r instanceof CeremonyError) continue;
      // Only the unauthenticated extra data may change without failing, as the spec says.
      expect(i, `byte ${i}`).toBeGreaterThan(extraAt + 5);
      expect(i, `byte ${i}`).toBeLessThan(extraAt + 10);
      passed++;
    }
    expect(passed).toBeLessThanOrEqual(4);
  });
});
