/**
 * Fuzzing every tlog parser with fast-check: random text and bytes, and good inputs mutated by a
 * few edits (deletions, insertions of format tokens, replacements). Each call either returns or
 * throws a CeremonyError, never another exception; whatever parses re-formats to the same text
 * (one canonical form), and whatever verifies still carries the original signed content.
 * CI-sized by default; FLEET_LONG_TESTS=1 runs fifty times more.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cosignatureSigner,
  cosignatureVerifier,
  ed25519Signer,
  ed25519Verifier,
  formatCheckpoint,
  formatTlogProof,
  formatVerifierKey,
  MemoryTree,
  openCheckpoint,
  openNote,
  parseCheckpoint,
  parseNote,
  parseSignerKey,
  parseTlogProof,
  parseVerifierKey,
  signNote,
  verifyTlogProof,
} from '../../../ceremony/tlog/index.js';
import { CeremonyError } from '../../../ceremony/errors.js';
import { attempt, runs, seededKey } from './helpers.js';

const ORIGIN = 'example.com/log';
const logKey = seededKey(20);
const wKey = seededKey(21);
const logSigner = ed25519Signer(ORIGIN, logKey.secretKey);
const wSigner = cosignatureSigner('w.example', wKey.secretKey, { now: () => 1 });
const verifiers = [
  ed25519Verifier(ORIGIN, logKey.publicKey),
  cosignatureVerifier('w.example', wKey.publicKey),
];
const tree = new MemoryTree();
for (let i = 0; i < 6; i++) tree.append(Uint8Array.of(i));
const CP_TEXT = formatCheckpoint({ origin: ORIGIN, size: 6, rootHash: tree.root(), extensions: ['ext'] });
const CHECKPOINT = signNote(CP_TEXT, [logSigner, wSigner]);
const PROOF = formatTlogProof({
  index: 3,
  proof: tree.proveInclusion(3),
  checkpoint: CHECKPOINT,
  extra: Uint8Array.of(5),
});
const VKEY = formatVerifierKey(verifiers[0]!);
const SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';

/** Tokens that matter to these formats, for insertions. */
const token = fc.constantFrom(
  '\n',
  '\n\n',
  ' ',
  '\u2014 ',
  '+',
  '=',
  '/',
  'A',
  '0',
  '-',
  '\r',
  '\u0000',
  '\u00a0',
  '\ud800',
  'index ',
  'extra ',
);

/** A good input with up to four random edits. */
function mutated(good: string): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.nat(3), fc.oneof(token, fc.string({ maxLength: 3 })));
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    let s = good;
    for (const [pos, kind, ins] of edits) {
      const at = pos % (s.length + 1);
      if (kind === 0) s = s.slice(0, at) + s.slice(at + 1);
      else if (kind === 1) s = s.slice(0, at) + ins + s.slice(at);
      else s = s.slice(0, at) + ins + s.slice(at + 1);
    }
    return s;
  });
}

/** Random text, random unicode, random bytes, or a mutation of `good`. */
function inputs(good: string): fc.Arbitrary<string | Uint8Array> {
  return fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.uint8Array({ maxLength: 300 }),
    mutated(good),
    mutated(good).map((s) => new TextEncoder().encode(s)),
  );
}

const asText = (x: string | Uint8Array): string => (typeof x === 'string' ? x : new TextDecoder().decode(x));
const N = runs(300);

describe('fuzz', () => {
  it('parseNote and openNote: typed errors only; what opens carries the signed text', () => {
    fc.assert(
      fc.property(inputs(CHECKPOINT), (x) => {
        attempt(() => parseNote(x));
        const r = attempt(() => openNote(x, verifiers));
        if (!(r instanceof CeremonyError)) expect(r.text).toBe(CP_TEXT);
      }),
      { numRuns: N },
    );
  });

  it('parseVerifierKey: typed errors only; what parses is canonical', () => {
    fc.assert(
      fc.property(inputs(VKEY), (x) => {
        const r = attempt(() => parseVerifierKey(x as string));
        if (!(r instanceof CeremonyError)) expect(formatVerifierKey(r)).toBe(x);
      }),
      { numRuns: N },
    );
  });

  it('parseSignerKey: typed errors only', () => {
    fc.assert(
      fc.property(inputs(SKEY), (x) => {
        const r = attempt(() => parseSignerKey(x as string));
        if (!(r instanceof CeremonyError)) expect(r.name).toBe('PeterNeumann');
      }),
      { numRuns: N },
    );
  });

  it('parseCheckpoint: typed errors only; what parses re-formats to the same text', () => {
    fc.assert(
      fc.property(inputs(CP_TEXT), (x) => {
        const r = attempt(() => parseCheckpoint(x));
        if (!(r instanceof CeremonyError)) expect(formatCheckpoint(r)).toBe(asText(x));
      }),
      { numRuns: N },
    );
  });

  it('openCheckpoint: typed errors only; what opens with both signatures is the checkpoint', () => {
    fc.assert(
      fc.property(inputs(CHECKPOINT), (x) => {
        const r = attempt(() => openCheckpoint(x, verifiers, { origin: ORIGIN }));
        if (!(r instanceof CeremonyError)) expect(formatCheckpoint(r.checkpoint)).toBe(CP_TEXT);
      }),
      { numRuns: N },
    );
  });

  it('parseTlogProof and verifyTlogProof: typed errors only; canonical; only extra may change', () => {
    fc.assert(
      fc.property(inputs(PROOF), (x) => {
        const p = attempt(() => parseTlogProof(x));
        if (!(p instanceof CeremonyError)) expect(formatTlogProof(p)).toBe(asText(x));
        const r = attempt(() =>
          verifyTlogProof(x, { entry: Uint8Array.of(3) }, verifiers, { cosigners: ['w.example'], quorum: 1 }),
        );
        if (!(r instanceof CeremonyError)) {
          expect(r.index).toBe(3n);
          expect(formatCheckpoint(r.checkpoint)).toBe(CP_TEXT);
        }
      }),
      { numRuns: N },
    );
  });
});
