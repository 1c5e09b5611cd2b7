/**
 * Signed notes (c2sp.org/signed-note): signing and opening fresh notes, the rules on unknown,
 * duplicate and failing signatures, and strict parsing, each negative case changing one thing in a
 * good note.
 */
import { describe, expect, it } from 'vitest';
import { base64Encode } from '../../../ceremony/codec/index.js';
import {
  appendNoteSignatures,
  ed25519Signer,
  ed25519Verifier,
  MAX_NOTE_BYTES,
  MAX_NOTE_SIGNATURES,
  openNote,
  parseNote,
  signNote,
} from '../../../ceremony/tlog/index.js';
import type { Signer } from '../../../ceremony/tlog/index.js';
import { CeremonyError } from '../../../ceremony/errors.js';
import { attempt, byteMutations, malformed, misuse, seededKey, unverified } from './helpers.js';

const a = seededKey(1);
const b = seededKey(2);
const signerA = ed25519Signer('a.example/log', a.secretKey);
const signerB = ed25519Signer('b.example/w', b.secretKey);
const verA = ed25519Verifier('a.example/log', a.publicKey);
const verB = ed25519Verifier('b.example/w', b.publicKey);
const TEXT = 'first line\n\nafter a blank line\n';
const good = signNote(TEXT, signerA);

/** A signature line with arbitrary name, key ID and signature bytes. */
function line(name: string, keyId: number, sig: Uint8Array = new Uint8Array(64).fill(9)): string {
  const raw = new Uint8Array(4 + sig.length);
  new DataView(raw.buffer).setUint32(0, keyId);
  raw.set(sig, 4);
  return `\u2014 ${name} ${base64Encode(raw)}\n`;
}

describe('signNote and openNote', () => {
  it('round trip, keeping blank lines inside the text', () => {
    const opened = openNote(good, [verA]);
    expect(opened.text).toBe(TEXT);
    expect(opened.signatures).toHaveLength(1);
    expect(opened.signatures[0]).toMatchObject({ name: 'a.example/log', keyId: verA.keyId, type: 1 });
  });

  it('put the blank line and one line per signer, in order', () => {
    const note = signNote(TEXT, [signerA, signerB]);
    const lines = note.slice(TEXT.length).split('\n');
    expect(lines[0]).toBe('');
    expect(lines[1]!.startsWith('\u2014 a.example/log ')).toBe(true);
    expect(lines[2]!.startsWith('\u2014 b.example/w ')).toBe(true);
    expect(openNote(note, [verA, verB]).signatures.map((s) => s.name)).toEqual([
      'a.example/log',
      'b.example/w',
    ]);
  });

  it('accept a minimal text and a text starting with a byte order mark', () => {
    expect(openNote(signNote('\n', signerA), [verA]).text).toBe('\n');
    const bom = '\ufeffbom\n';
    expect(openNote(new TextEncoder().encode(signNote(bom, signerA)), [verA]).text).toBe(bom);
  });

  it('ignore signatures from unknown keys, including same name or same ID (not both)', () => {
    const note = good + line('a.example/log', verA.keyId ^ 1) + line('other', verA.keyId) + line('other', 5);
    const opened = openNote(note, [verA]);
    expect(opened.signatures).toHaveLength(1);
    expect(opened.unverified.map((u) => u.name)).toEqual(['a.example/log', 'other', 'other']);
  });

  it('report repeated identical unknown lines once', () => {
    const note = good + line('other', 5) + line('other', 5);
    expect(openNote(note, [verA]).unverified).toHaveLength(1);
  });

  it('reject a note whose known signature fails even if another verifies', () => {
    const note = good + line('b.example/w', verB.keyId);
    unverified(() => openNote(note, [verA, verB]), 'NOTE_SIGNATURE_INVALID');
  });

  it('reject a second signature by the same known key', () => {
    const note = good + good.slice(good.lastIndexOf('\u2014'));
    malformed(() => openNote(note, [verA]), 'NOTE_DUPLICATE_SIGNATURE');
  });

  it('reject a note no known key signed', () => {
    unverified(() => openNote(good, [verB]), 'NOTE_NO_VERIFIED_SIGNATURE');
    unverified(() => openNote(good, []), 'NOTE_NO_VERIFIED_SIGNATURE');
  });

  it('reject ambiguous or invalid verifiers', () => {
    const other = ed25519Verifier('a.example/log', b.publicKey);
    misuse(() => openNote(good, [verA, { ...other, keyId: verA.keyId }]), 'VERIFIER_AMBIGUOUS');
    expect(openNote(good, [verA, verA]).signatures).toHaveLength(1);
    misuse(() => openNote(good, [{ name: 'x' } as never]), 'VERIFIER_INVALID');
  });

  it('fail on every one-byte change of a note signed by one key', () => {
    const bytes = new TextEncoder().encode(good);
    for (const mask of [0x01, 0x80]) {
      for (const [i, m] of byteMutations(bytes, mask)) {
        expect(
          attempt(() => openNote(m, [verA])),
          `byte ${i} ^ ${mask}`,
        ).toBeInstanceOf(CeremonyError);
      }
    }
  });

  it('never verify both signatures after a one-byte change of a note signed by two keys', () => {
    const bytes = new TextEncoder().encode(signNote(TEXT, [signerA, signerB]));
    for (const [i, m] of byteMutations(bytes)) {
      const r = attempt(() => openNote(m, [verA, verB]));
      // Renaming one signer makes its line unknown (ignored, as the spec says); the other may still verify.
      if (!(r instanceof CeremonyError)) expect(r.signatures.length, `byte ${i}`).toBe(1);
    }
  });

  it('treat a blank line before the last signature as the end of the text', () => {
    const note = good + '\n' + good.slice(good.lastIndexOf('\u2014'));
    expect(parseNote(note).text).toBe(good);
    unverified(() => openNote(note, [verA]), 'NOTE_SIGNATURE_INVALID');
  });
});

describe('appendNoteSignatures', () => {
  it('adds a cosigner line after the existing ones', () => {
    const note = appendNoteSignatures(good, signerB);
    expect(note.startsWith(good)).toBe(true);
    expect(openNote(note, [verA, verB]).signatures).toHaveLength(2);
  });

  it('refuses a signer already present', () => {
    misuse(() => appendNoteSignatures(good, signerA), 'NOTE_DUPLICATE_SIGNER');
  });
});

describe('signNote refuses bad input', () => {
  it.each([
    ['no final newline', 'text', 'NOTE_TEXT_INVALID'],
    ['a carriage return', 'a\r\n', 'NOTE_CONTROL_CHARACTER'],
    ['a tab', 'a\tb\n', 'NOTE_CONTROL_CHARACTER'],
    ['a lone surrogate', 'a\ud800\n', 'NOTE_ENCODING_INVALID'],
  ])('%s', (_what, text, code) => {
    malformed(() => signNote(text, signerA), code);
  });

  it('no signer, or the same signer twice', () => {
    misuse(() => signNote(TEXT, []), 'NOTE_NO_SIGNER');
    misuse(() => signNote(TEXT, [signerA, signerA]), 'NOTE_DUPLICATE_SIGNER');
  });

  it('a signer with an invalid name', () => {
    const bad: Signer = { ...signerA, name: 'a b' };
    misuse(() => signNote(TEXT, bad), 'SIGNER_INVALID');
  });

  it('a text that would exceed the size limit', () => {
    malformed(() => signNote('x'.repeat(MAX_NOTE_BYTES) + '\n', signerA), 'NOTE_TOO_LARGE');
  });
});

describe('parseNote is strict', () => {
  const cases: [string, string | Uint8Array, string][] = [
    ['no final newline', good.slice(0, -1), 'NOTE_MALFORMED'],
    ['no blank line', signNote('one\ntwo\n', signerA).replace('\n\n', '\n'), 'NOTE_MALFORMED'],
    [
      'no blank line, but one inside the text',
      good.replace('\n\n\u2014', '\n\u2014'),
      'NOTE_SIGNATURE_LINE_MALFORMED',
    ],
    ['blank line but no signature', TEXT + '\n', 'NOTE_MALFORMED'],
    ['hyphen instead of em dash', good.replace('\u2014 a', '- a'), 'NOTE_SIGNATURE_LINE_MALFORMED'],
    ['two spaces after the dash', good.replace('\u2014 a', '\u2014  a'), 'NOTE_SIGNATURE_LINE_MALFORMED'],
    ['no signature after the name', TEXT + '\n\u2014 a.example/log\n', 'NOTE_SIGNATURE_LINE_MALFORMED'],
    ['empty signature', TEXT + '\n\u2014 a.example/log \n', 'NOTE_SIGNATURE_LINE_MALFORMED'],
    ['trailing space', good.slice(0, -1) + ' \n', 'NOTE_SIGNATURE_LINE_MALFORMED'],
    ['plus in the name', good.replace('a.example/log ', 'a+b '), 'NOTE_SIGNATURE_LINE_MALFORMED'],
    ['signature of 4 bytes', TEXT + '\n' + line('x', 1, new Uint8Array(0)), 'NOTE_SIGNATURE_LINE_MALFORMED'],
    ['a control character in the text', '\u0007' + good, 'NOTE_CONTROL_CHARACTER'],
    ['CRLF line ends', good.replace(/\n/g, '\r\n'), 'NOTE_CONTROL_CHARACTER'],
    ['invalid UTF-8', Uint8Array.from([0xff, ...new TextEncoder().encode(good)]), 'NOTE_ENCODING_INVALID'],
    [
      'an overlong UTF-8 newline',
      Uint8Array.from([0xc0, 0x8a, ...new TextEncoder().encode(good)]),
      'NOTE_ENCODING_INVALID',
    ],
    ['a lone surrogate', 'x\udc00' + good, 'NOTE_ENCODING_INVALID'],
    ['over 1e6 bytes', 'x'.repeat(MAX_NOTE_BYTES) + good, 'NOTE_TOO_LARGE'],
    [
      'over 1e6 UTF-8 bytes in fewer characters',
      '\u00e9'.repeat(MAX_NOTE_BYTES / 2) + good,
      'NOTE_TOO_LARGE',
    ],
    ['101 signatures', good + line('other', 1).repeat(MAX_NOTE_SIGNATURES), 'NOTE_TOO_MANY_SIGNATURES'],
  ];
  it('the good fixture parses', () => {
    expect(parseNote(good).signatures).toHaveLength(1);
  });
  for (const [what, input, code] of cases) {
    it(`refuses ${what} (${code})`, () => {
      malformed(() => parseNote(input), code);
      malformed(() => openNote(input, [verA]), code);
    });
  }

  it('accepts 100 signatures (more than the 16 the spec requires)', () => {
    const note = good + line('other', 1).repeat(MAX_NOTE_SIGNATURES - 1);
    expect(parseNote(note).signatures).toHaveLength(MAX_NOTE_SIGNATURES);
    expect(openNote(note, [verA]).signatures).toHaveLength(1);
  });
});
