/**
 * Transcript verification: a good sample verifies; every single-byte change, a truncated last
 * line, and every deleted, inserted or reordered line is detected; each ceremony rule refuses its
 * own violation.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyTranscript } from '../../../ceremony/transcript/verify.js';
import { ADMIN, CO1, CO2, PEOPLE, Sample } from './sample.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const lines = (b: Uint8Array) => text(b).split('\n').slice(0, -1);
const join = (ls: string[]) => new TextEncoder().encode(ls.map((l) => l + '\n').join(''));
const good = new Sample().full().bytes();
const goodHead = createHash('sha256').update(lines(good).at(-1)!).digest('hex');

const refuse = (b: Uint8Array, code: string, o = {}) =>
  expect(() => verifyTranscript(b, { participants: PEOPLE, ...o })).toThrow(
    expect.objectContaining({ code }),
  );

describe('verifyTranscript', () => {
  it('verifies the good sample: chain, sign-offs, seal, head', () => {
    const v = verifyTranscript(good, { participants: PEOPLE, head: goodHead });
    expect(v).toMatchObject({
      records: 9,
      sealed: true,
      head: goodHead,
      signoffs: 3,
      participantsSource: 'pinned',
      interruptions: [],
    });
    expect(v.steps.map((s) => [s.id, s.status, s.signers])).toEqual([
      ['approve', 'done', ['co-1', 'co-2']],
      ['seal', 'done', ['admin']],
    ]);
    expect(verifyTranscript(good).participantsSource).toBe('transcript');
  });

  it('detects every single-byte change', () => {
    const missed: number[] = [];
    for (let i = 0; i < good.length; i++) {
      const b = Uint8Array.from(good);
      b[i] = b[i] === 0x41 ? 0x42 : 0x41; // any other byte
      try {
        verifyTranscript(b, { participants: PEOPLE, head: goodHead });
        missed.push(i);
      } catch {
        // detected
      }
    }
    expect(missed).toEqual([]);
  });

  it('detects a truncated last line, and reports it when asked to allow one', () => {
    const cut = good.subarray(0, good.length - 20);
    refuse(cut, 'TRANSCRIPT_TORN_TAIL');
    const v = verifyTranscript(cut, { participants: PEOPLE, allowTornTail: true, allowUnsealed: true });
    const last = lines(good).at(-1)!;
    expect(v.tornTail).toEqual({
      offset: good.length - last.length - 1,
      bytes: last.length - 19,
      sha256: createHash('sha256')
        .update(cut.subarray(good.length - last.length - 1))
        .digest('hex'),
    });
    expect(v.records).toBe(8);
  });

  it('detects every deleted line', () => {
    const ls = lines(good);
    for (let k = 0; k < ls.length - 1; k++)
      expect(() => verifyTranscript(join(ls.filter((_, i) => i !== k)), { participants: PEOPLE })).toThrow();
    // Deleting the last line leaves a valid prefix: only the pinned head or the seal catches it.
    refuse(join(ls.slice(0, -1)), 'TRANSCRIPT_NOT_SEALED');
    refuse(join(ls.slice(0, -1)), 'TRANSCRIPT_HEAD_MISMATCH', { head: goodHead, allowUnsealed: true });
  });

  it('detects every swapped pair and every repeated line', () => {
    const ls = lines(good);
    for (let k = 0; k + 1 < ls.length; k++) {
      const swapped = [...ls];
      [swapped[k], swapped[k + 1]] = [swapped[k + 1]!, swapped[k]!];
      expect(() => verifyTranscript(join(swapped), { participants: PEOPLE })).toThrow();
      const repeated = [...ls.slice(0, k + 1), ls[k]!, ...ls.slice(k + 1)];
      expect(() => verifyTranscript(join(repeated), { participants: PEOPLE })).toThrow(
        expect.objectContaining({ code: 'TRANSCRIPT_BAD_SEQ' }),
      );
    }
  });

  it('refuses pinned participants that differ from the transcript’s', () => {
    refuse(good, 'TRANSCRIPT_PARTICIPANTS_MISMATCH', {
      participants: [ADMIN, CO1, { ...CO2, publicKey: ADMIN.publicKey }],
    });
    refuse(good, 'TRANSCRIPT_PARTICIPANTS_MISMATCH', { participants: [ADMIN, CO1] });
  });

  it('refuses a script digest other than the one recorded', () => {
    refuse(good, 'TRANSCRIPT_SCRIPT_MISMATCH', { scriptSha256: 'cd'.repeat(32) });
  });

  it('refuses a sign-off over another head', () => {
    const s = new Sample().step('approve', 0).end('approve', 0).signoff('approve', CO1, 'ee'.repeat(32));
    refuse(s.bytes(), 'SIGNOFF_WRONG_HEAD', { allowUnsealed: true });
  });

  it('refuses a sign-off by the wrong role, and a repeated signer', () => {
    refuse(
      new Sample().step('approve', 0).end('approve', 0).signoff('approve', ADMIN).bytes(),
      'SIGNOFF_WRONG_ROLE',
      { allowUnsealed: true },
    );
    refuse(
      new Sample()
        .step('approve', 0)
        .end('approve', 0)
        .signoff('approve', CO1)
        .signoff('approve', CO1)
        .bytes(),
      'SIGNOFF_DUPLICATE_SIGNER',
      { allowUnsealed: true },
    );
  });

  it('refuses the next step before the quorum is met (2 of 2 required, 1 given)', () => {
    refuse(
      new Sample().step('approve', 0).end('approve', 0).signoff('approve', CO1).step('seal', 1).bytes(),
      'SIGNOFF_QUORUM_NOT_MET',
      { allowUnsealed: true },
    );
  });

  it('refuses steps out of order, a sign-off before its step ended, and records after the seal', () => {
    refuse(new Sample().step('seal', 1).bytes(), 'TRANSCRIPT_STEP_ORDER', { allowUnsealed: true });
    refuse(
      new Sample().step('approve', 0).signoff('approve', CO1, 'ab'.repeat(32)).bytes(),
      'TRANSCRIPT_STEP_ORDER',
      { allowUnsealed: true },
    );
    const after = new Sample().full();
    after.add('note', { text: 'late' });
    refuse(after.bytes(), 'TRANSCRIPT_AFTER_SEAL');
  });

  it('requires the seal unless told otherwise', () => {
    const open = new Sample().step('approve', 0).end('approve', 0).bytes();
    refuse(open, 'TRANSCRIPT_NOT_SEALED');
    const v = verifyTranscript(open, { participants: PEOPLE, allowUnsealed: true });
    expect(v.steps.map((s) => s.status)).toEqual(['ended', 'pending']);
  });

  it('lists interruptions and lets an interrupted step start again', () => {
    const s = new Sample().step('approve', 0);
    s.add('interruption', { reason: 'signal', detail: 'SIGINT' });
    s.add('resume', {});
    s.step('approve', 0, 2)
      .end('approve', 0)
      .signoff('approve', CO1)
      .signoff('approve', CO2)
      .step('seal', 1)
      .end('seal', 1)
      .signoff('seal', ADMIN)
      .seal();
    const v = verifyTranscript(s.bytes(), { participants: PEOPLE });
    expect(v.interruptions).toEqual([
      expect.objectContaining({ seq: 2, reason: 'signal', detail: 'SIGINT' }),
    ]);
    expect(v.resumes).toBe(1);
    expect(v.steps[0]!.attempts).toBe(2);
  });

  it('refuses a read-aloud whose words are not those of its hex', () => {
    const s = new Sample().step('approve', 0);
    s.add(
      'read-aloud',
      { label: 'd', value: 'script.sha256', hex: 'e582', words: ['Istanbul', 'topmost'] },
      'approve',
    );
    refuse(s.bytes(), 'TRANSCRIPT_READ_ALOUD_MISMATCH', { allowUnsealed: true });
  });

  it('refuses a first record that is not ceremony-start, and an empty file', () => {
    refuse(join(lines(good).slice(1)), 'TRANSCRIPT_BAD_SEQ');
    refuse(new Uint8Array(0), 'TRANSCRIPT_EMPTY');
  });
});
