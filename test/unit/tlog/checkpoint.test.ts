/**
 * Checkpoints (c2sp.org/tlog-checkpoint): parse/format round trips, strict parsing (one change of a
 * good checkpoint per case), and openCheckpoint's origin and log-key rules.
 */
import { describe, expect, it } from 'vitest';
import {
  cosignatureSigner,
  cosignatureVerifier,
  ed25519Signer,
  ed25519Verifier,
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  signNote,
} from '../../../ceremony/tlog/index.js';
import { CeremonyError } from '../../../ceremony/errors.js';
import { byteMutations, malformed, misuse, seededKey, unverified } from './helpers.js';

const ORIGIN = 'example.com/behind-the-sofa';
const ROOT_B64 = 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=';
/** The note text of the example in c2sp.org/tlog-checkpoint. */
const SPEC_TEXT = `${ORIGIN}\n20852163\n${ROOT_B64}\n`;

const log = seededKey(3);
const wit = seededKey(4);
const logSigner = ed25519Signer(ORIGIN, log.secretKey);
const logVerifier = ed25519Verifier(ORIGIN, log.publicKey);
const witSigner = cosignatureSigner('witness.example/w1', wit.secretKey, { now: () => 1679315147 });
const witVerifier = cosignatureVerifier('witness.example/w1', wit.publicKey);

describe('parseCheckpoint', () => {
  it('parses the example of the spec', () => {
    const cp = parseCheckpoint(SPEC_TEXT);
    expect(cp.origin).toBe(ORIGIN);
    expect(cp.size).toBe(20852163n);
    expect(Buffer.from(cp.rootHash).toString('base64')).toBe(ROOT_B64);
    expect(cp.extensions).toEqual([]);
  });

  it('round trips with formatCheckpoint, extensions and sizes at both ends', () => {
    for (const size of [0n, 1n, 20852163, (1n << 63n) - 1n]) {
      for (const extensions of [[], ['ext one', 'ext two']]) {
        const text = formatCheckpoint({
          origin: ORIGIN,
          size,
          rootHash: new Uint8Array(32).fill(7),
          extensions,
        });
        const cp = parseCheckpoint(text);
        expect(cp.size).toBe(BigInt(size));
        expect(cp.extensions).toEqual(extensions);
        expect(formatCheckpoint(cp)).toBe(text);
      }
    }
    expect(formatCheckpoint(parseCheckpoint(SPEC_TEXT))).toBe(SPEC_TEXT);
  });

  it('allows an origin with spaces (only a SHOULD in the spec)', () => {
    expect(parseCheckpoint(`my log\n1\n${ROOT_B64}\n`).origin).toBe('my log');
  });

  const cases: [string, string, string][] = [
    ['no final newline', SPEC_TEXT.slice(0, -1), 'CHECKPOINT_MALFORMED'],
    ['two lines', `${ORIGIN}\n20852163\n`, 'CHECKPOINT_MALFORMED'],
    ['empty origin', SPEC_TEXT.replace(ORIGIN, ''), 'CHECKPOINT_ORIGIN_INVALID'],
    ['leading zero in size', SPEC_TEXT.replace('20852163', '020852163'), 'CHECKPOINT_SIZE_INVALID'],
    ['signed size', SPEC_TEXT.replace('20852163', '+20852163'), 'CHECKPOINT_SIZE_INVALID'],
    ['size 2^63', SPEC_TEXT.replace('20852163', '9223372036854775808'), 'CHECKPOINT_SIZE_INVALID'],
    ['empty size', SPEC_TEXT.replace('20852163', ''), 'CHECKPOINT_SIZE_INVALID'],
    ['hex size', SPEC_TEXT.replace('20852163', '0x13e2e43'), 'CHECKPOINT_SIZE_INVALID'],
    ['root hash without padding', SPEC_TEXT.replace('q2I=', 'q2I'), 'CHECKPOINT_ROOT_HASH_INVALID'],
    ['root hash with non-zero pad bits', SPEC_TEXT.replace('q2I=', 'q2J='), 'CHECKPOINT_ROOT_HASH_INVALID'],
    [
      'root hash of 33 bytes',
      SPEC_TEXT.replace(ROOT_B64, Buffer.alloc(33).toString('base64')),
      'CHECKPOINT_ROOT_HASH_INVALID',
    ],
    [
      'root hash of 31 bytes',
      SPEC_TEXT.replace(ROOT_B64, Buffer.alloc(31).toString('base64')),
      'CHECKPOINT_ROOT_HASH_INVALID',
    ],
    ['empty extension line', SPEC_TEXT + '\n', 'CHECKPOINT_EXTENSION_INVALID'],
    ['empty line between extensions', SPEC_TEXT + 'a\n\nb\n', 'CHECKPOINT_EXTENSION_INVALID'],
    ['a tab', SPEC_TEXT.replace(ORIGIN, `${ORIGIN}\t`), 'CHECKPOINT_CONTROL_CHARACTER'],
  ];
  for (const [what, text, code] of cases) {
    it(`refuses ${what} (${code})`, () => {
      malformed(() => parseCheckpoint(text), code);
    });
  }
});

describe('formatCheckpoint refuses bad fields', () => {
  const base = { origin: ORIGIN, size: 1, rootHash: new Uint8Array(32) };
  it.each([
    ['empty origin', { ...base, origin: '' }, 'CHECKPOINT_ORIGIN_INVALID'],
    ['newline in origin', { ...base, origin: 'a\nb' }, 'CHECKPOINT_ORIGIN_INVALID'],
    ['negative size', { ...base, size: -1 }, 'CHECKPOINT_SIZE_INVALID'],
    ['fractional size', { ...base, size: 1.5 }, 'CHECKPOINT_SIZE_INVALID'],
    ['size 2^63', { ...base, size: 1n << 63n }, 'CHECKPOINT_SIZE_INVALID'],
    ['31-byte root', { ...base, rootHash: new Uint8Array(31) }, 'CHECKPOINT_ROOT_HASH_INVALID'],
    ['empty extension', { ...base, extensions: [''] }, 'CHECKPOINT_EXTENSION_INVALID'],
    ['extension with newline', { ...base, extensions: ['a\nb'] }, 'CHECKPOINT_EXTENSION_INVALID'],
    [
      'extension with control character',
      { ...base, extensions: ['a\u0000'] },
      'CHECKPOINT_EXTENSION_INVALID',
    ],
  ])('%s', (_what, input, code) => {
    misuse(() => formatCheckpoint(input), code);
  });
});

describe('openCheckpoint', () => {
  const signed = signNote(SPEC_TEXT, [logSigner, witSigner]);

  it('opens a checkpoint signed by the log and a cosigner', () => {
    const opened = openCheckpoint(signed, [logVerifier, witVerifier], { origin: ORIGIN });
    expect(opened.checkpoint.size).toBe(20852163n);
    expect(opened.signatures.map((s) => s.name)).toEqual([ORIGIN, 'witness.example/w1']);
    expect(opened.signatures[1]!.timestamp).toBe(1679315147n);
  });

  it('refuses another origin than expected', () => {
    unverified(
      () => openCheckpoint(signed, [logVerifier], { origin: 'example.com/other' }),
      'CHECKPOINT_ORIGIN_MISMATCH',
    );
  });

  it('refuses a checkpoint verified only by a key not named after the origin', () => {
    unverified(() => openCheckpoint(signed, [witVerifier]), 'CHECKPOINT_LOG_SIGNATURE_MISSING');
  });

  it('names signature failures as checkpoint failures', () => {
    const otherLog = ed25519Verifier(ORIGIN, wit.publicKey);
    unverified(() => openCheckpoint(signed, [otherLog]), 'CHECKPOINT_NO_VERIFIED_SIGNATURE');
    const logLine = signed.split('\n').find((l) => l.startsWith(`\u2014 ${ORIGIN} `))!;
    const tampered = `${SPEC_TEXT.replace('20852163', '20852164')}\n${logLine}\n`;
    unverified(() => openCheckpoint(tampered, [logVerifier]), 'CHECKPOINT_SIGNATURE_INVALID');
  });

  it('refuses a signed note that is not a checkpoint', () => {
    malformed(() => openCheckpoint(signNote('hello\n', logSigner), [logVerifier]), 'CHECKPOINT_MALFORMED');
  });

  it('fails on every one-byte change when both signatures are required', () => {
    const bytes = new TextEncoder().encode(signed);
    for (const [i, m] of byteMutations(bytes)) {
      let ok = false;
      try {
        const opened = openCheckpoint(m, [logVerifier, witVerifier], { origin: ORIGIN });
        ok = opened.signatures.length === 2;
      } catch (e) {
        expect(e, `byte ${i}`).toBeInstanceOf(CeremonyError);
      }
      expect(ok, `byte ${i}`).toBe(false);
    }
  });
});
