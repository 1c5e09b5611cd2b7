/**
 * readFileBounded: the one bounded reader every CLI input, HSM state file and evidence package goes
 * through. Each refusal has its code and names the file; nothing blocks on a FIFO.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileBounded } from '../../../ceremony/io/index.js';

const dir = mkdtempSync(join(tmpdir(), 'fc-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const codes = {
  what: 'test file',
  missingCode: 'T_MISSING',
  unreadableCode: 'T_UNREADABLE',
  tooLargeCode: 'T_TOO_LARGE',
  changedCode: 'T_CHANGED',
};

describe('readFileBounded', () => {
  it('reads a regular file up to and including the bound', () => {
    const f = join(dir, 'ok');
    writeFileSync(f, 'x'.repeat(10));
    expect(readFileBounded(f, 10, codes).toString()).toBe('x'.repeat(10));
    expect(readFileBounded(join(dir, 'ok'), 10, { what: 'x' }).length).toBe(10);
  });

  it('refuses a file over the bound before reading it', () => {
    const f = join(dir, 'big');
    writeFileSync(f, 'x'.repeat(11));
    expect(() => readFileBounded(f, 10, codes)).toThrow(
      expect.objectContaining({ name: 'UsageError', code: 'T_TOO_LARGE', file: f }),
    );
  });

  it('names a missing file with its own code, and defaults to FILE_UNREADABLE', () => {
    const f = join(dir, 'nope');
    expect(() => readFileBounded(f, 10, codes)).toThrow(
      expect.objectContaining({
        code: 'T_MISSING',
        file: f,
        message: expect.stringContaining('no such file'),
      }),
    );
    expect(() => readFileBounded(join(dir, 'ok', 'below-a-file'), 10, codes)).toThrow(
      expect.objectContaining({ code: 'T_MISSING' }),
    );
    expect(() => readFileBounded(f, 10, { what: 'x' })).toThrow(
      expect.objectContaining({ code: 'FILE_UNREADABLE' }),
    );
  });

  it('refuses a directory and a FIFO as not regular files, without blocking on the FIFO', () => {
    const d = join(dir, 'sub');
    mkdirSync(d);
    expect(() => readFileBounded(d, 10, codes)).toThrow(
      expect.objectContaining({
        code: 'T_UNREADABLE',
        message: expect.stringContaining('not a regular file'),
      }),
    );
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // Opened blocking, this would wait for a writer forever (the test would time out).
    expect(() => readFileBounded(fifo, 10, codes)).toThrow(
      expect.objectContaining({ code: 'T_UNREADABLE', file: fifo }),
    );
  });

  it('refuses a file that holds more than its size said while it was read', () => {
    // Linux /proc files report size 0 and then yield bytes: exactly a file that grew under the read.
    expect(() => readFileBounded('/proc/self/status', 1 << 20, codes)).toThrow(
      expect.objectContaining({ code: 'T_CHANGED' }),
    );
  });
});
