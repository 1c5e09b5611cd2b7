/**
 * The appender: created exclusively, one fsync'ed line per record, nothing written for data
 * without a canonical form, closed for good after a seal; reopening repairs a torn last line by
 * keeping its bytes aside and recording an interruption.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TranscriptWriter } from '../../../../ceremony/runner/transcript/writer.js';
import { verifyTranscript } from '../../../../ceremony/transcript/verify.js';
import { PEOPLE, Sample, startData } from '../../transcript/sample.js';

describe('TranscriptWriter', () => {
  it('creates the file exclusively and never over an existing transcript', () => {
    const s = new Sample();
    s.w.close();
    const before = readFileSync(s.path);
    expect(() => TranscriptWriter.create(s.path, startData())).toThrow(
      expect.objectContaining({ code: 'TRANSCRIPT_EXISTS' }),
    );
    expect(readFileSync(s.path)).toEqual(before);
    expect(statSync(s.path).mode & 0o777).toBe(0o644);
  });

  it('writes one line per record, each chained to the one before', () => {
    const s = new Sample().step('approve', 0);
    const head = s.w.head;
    const ls = new TextDecoder().decode(s.bytes()).split('\n');
    expect(ls).toHaveLength(3);
    expect(ls[2]).toBe('');
    expect(JSON.parse(ls[1]!).prev).toBe(createHash('sha256').update(ls[0]!).digest('hex'));
    expect(head).toBe(createHash('sha256').update(ls[1]!).digest('hex'));
  });

  it('writes nothing for data without a canonical form', () => {
    const s = new Sample();
    const size = statSync(s.path).size;
    expect(() => s.add('note', { ratio: 0.5 })).toThrow(
      expect.objectContaining({ code: 'JSON_NOT_CANONICAL_VALUE' }),
    );
    expect(statSync(s.path).size).toBe(size);
    expect(s.w.nextSeq).toBe(1);
  });

  it('refuses appends once closed', () => {
    const s = new Sample();
    s.w.close();
    expect(() => s.add('note', { text: 'x' })).toThrow(
      expect.objectContaining({ code: 'TRANSCRIPT_CLOSED' }),
    );
  });

  it('reopens an unsealed transcript and continues its chain', () => {
    const s = new Sample().step('approve', 0).end('approve', 0);
    s.w.close();
    const { writer, found, repaired } = TranscriptWriter.reopen(s.path);
    expect(repaired).toBeUndefined();
    expect(found.records).toBe(3);
    writer.append('resume', {});
    writer.close();
    expect(
      verifyTranscript(readFileSync(s.path), { participants: PEOPLE, allowUnsealed: true }).resumes,
    ).toBe(1);
  });

  it('repairs a torn last line: keeps the bytes aside, cuts them, records an interruption', () => {
    const s = new Sample().step('approve', 0);
    s.w.close();
    const intact = readFileSync(s.path);
    const torn = '{"data":{"durationMs":5,"ind';
    appendFileSync(s.path, torn);
    const { writer, repaired } = TranscriptWriter.reopen(s.path);
    writer.close();
    expect(repaired).toMatchObject({ offset: intact.length, bytes: torn.length });
    expect(readFileSync(repaired!.savedAs, 'utf8')).toBe(torn);
    expect(dirname(repaired!.savedAs)).toBe(dirname(s.path));
    const after = readFileSync(s.path);
    expect(after.subarray(0, intact.length)).toEqual(intact);
    const v = verifyTranscript(after, { participants: PEOPLE, allowUnsealed: true });
    expect(v.interruptions).toEqual([expect.objectContaining({ seq: 2, reason: 'torn-write' })]);
    const last = JSON.parse(new TextDecoder().decode(after).trim().split('\n').at(-1)!);
    expect(last.data).toMatchObject({
      truncatedBytes: torn.length,
      truncatedSha256: createHash('sha256').update(torn).digest('hex'),
    });
  });

  it('refuses to reopen a sealed transcript, or a broken one (leaving it as it was)', () => {
    const sealed = new Sample().full();
    sealed.w.close();
    expect(() => TranscriptWriter.reopen(sealed.path)).toThrow(
      expect.objectContaining({ code: 'TRANSCRIPT_SEALED' }),
    );
    const broken = new Sample().step('approve', 0);
    broken.w.close();
    const text = readFileSync(broken.path, 'utf8').replace('"attempt":1', '"attempt":2');
    writeFileSync(broken.path, text);
    expect(() => TranscriptWriter.reopen(broken.path)).toThrow(
      expect.objectContaining({ file: broken.path }),
    );
    expect(readFileSync(broken.path, 'utf8')).toBe(text);
    expect(existsSync(join(dirname(broken.path), 'transcript.jsonl.torn-0'))).toBe(false);
  });
});
