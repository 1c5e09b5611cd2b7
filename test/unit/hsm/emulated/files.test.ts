/**
 * Durable writes: create-exclusive outputs are never overwritten and appear whole; atomic
 * replacement leaves no temporary file; all-or-nothing directory creation.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createDirExclusive,
  removeStrayTemporaries,
  writeFileAtomic,
  writeFileExclusive,
} from '../../../../ceremony/io/index.js';
import { tempBase } from './fixture.js';

let base: string;
beforeEach(() => {
  base = tempBase('fc-files-');
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('writeFileExclusive', () => {
  it('creates the file with its mode and leaves no temporary file', () => {
    const p = join(base, 'out.pem');
    writeFileExclusive(p, 'hello', 0o640);
    expect(readFileSync(p, 'utf8')).toBe('hello');
    expect(statSync(p).mode & 0o777).toBe(0o640);
    expect(readdirSync(base)).toEqual(['out.pem']);
  });

  it('refuses an existing file (and a dangling symlink) and changes nothing', () => {
    const p = join(base, 'out.pem');
    writeFileSync(p, 'original');
    expect(() => writeFileExclusive(p, 'new')).toThrow(
      expect.objectContaining({ code: 'HSM_OUTPUT_EXISTS', file: p }),
    );
    expect(readFileSync(p, 'utf8')).toBe('original');
    const link = join(base, 'link.pem');
    symlinkSync(join(base, 'nowhere'), link);
    expect(() => writeFileExclusive(link, 'new', 0o600, 'X_EXISTS')).toThrow(
      expect.objectContaining({ code: 'X_EXISTS' }),
    );
    expect(readdirSync(base).sort()).toEqual(['link.pem', 'out.pem']);
  });
});

describe('write errors an operator can fix', () => {
  it('a missing directory, or a path through a file, is HSM_OUTPUT_UNWRITABLE naming the path', () => {
    const missing = join(base, 'no-such-dir', 'out.pem');
    expect(() => writeFileExclusive(missing, 'x')).toThrow(
      expect.objectContaining({ name: 'UsageError', code: 'HSM_OUTPUT_UNWRITABLE', file: missing }),
    );
    writeFileSync(join(base, 'file'), '');
    const through = join(base, 'file', 'out.pem');
    expect(() => writeFileAtomic(through, 'x')).toThrow(
      expect.objectContaining({ code: 'HSM_OUTPUT_UNWRITABLE' }),
    );
    expect(readdirSync(base)).toEqual(['file']);
  });
});

describe('writeFileAtomic', () => {
  it('replaces content and leaves no temporary file', () => {
    const p = join(base, 'state');
    writeFileAtomic(p, 'one');
    writeFileAtomic(p, Uint8Array.of(1, 2));
    expect([...readFileSync(p)]).toEqual([1, 2]);
    expect(readdirSync(base)).toEqual(['state']);
  });

  it('cleans up its temporary file and leaves the target as it was when the rename fails', () => {
    const target = join(base, 'occupied');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'x');
    expect(() => writeFileAtomic(target, 'new')).toThrow();
    expect(readdirSync(base)).toEqual(['occupied']);
    expect(readdirSync(target)).toEqual(['inside']);
  });

  it('stray temporaries of an interrupted write are removed (and nothing else)', () => {
    writeFileSync(join(base, '.keystore.bin.tmp-0123456789ab'), 'partial');
    writeFileSync(join(base, 'keep.tmp-note'), 'mine');
    removeStrayTemporaries(base);
    expect(readdirSync(base)).toEqual(['keep.tmp-note']);
  });
});

describe('createDirExclusive', () => {
  it('creates the directory whole, or refuses a non-empty one untouched', async () => {
    const d = join(base, 'new');
    await createDirExclusive(d, 0o700, (tmp) => writeFileSync(join(tmp, 'a'), 'a'));
    expect(readdirSync(d)).toEqual(['a']);
    await expect(
      createDirExclusive(d, 0o700, (tmp) => writeFileSync(join(tmp, 'b'), 'b')),
    ).rejects.toMatchObject({
      code: 'HSM_OUTPUT_EXISTS',
    });
    expect(readdirSync(d)).toEqual(['a']);
  });

  it('leaves nothing behind when filling fails', async () => {
    const d = join(base, 'failed');
    mkdirSync(join(base, 'unrelated'));
    await expect(
      createDirExclusive(d, 0o700, () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(readdirSync(base)).toEqual(['unrelated']);
  });
});
