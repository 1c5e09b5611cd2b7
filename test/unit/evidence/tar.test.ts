/**
 * The deterministic .tar.gz and the strict reader: the same directory gives the same bytes (also
 * in another process), GNU tar and gzip read it with the fixed fields, and the reader refuses
 * everything a hostile archive could try.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as zlibCrc32, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEvidencePackage, packTarGz, readTarGz } from '../../../ceremony/evidence/index.js';
import { crc32, gzipDeterministic } from '../../../ceremony/evidence/gzip.js';
import { BLOCK, headerChecksum, ustarHeader } from '../../../ceremony/evidence/tar-ustar.js';
import { tarDirectory } from '../../../ceremony/evidence/tar-pack.js';

let base: string;
let pkg: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'fc-tar-'));
  pkg = join(base, 'pkg');
  mkdirSync(join(pkg, 'attestations', 'hsm-1', 'keys'), { recursive: true });
  writeFileSync(join(pkg, 'a.txt'), 'alpha\n');
  writeFileSync(join(pkg, 'empty'), '');
  writeFileSync(
    join(pkg, 'attestations', 'hsm-1', 'keys', `${'k'.repeat(90)}.statement`),
    Buffer.alloc(1000, 7),
  );
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A tar archive of raw entries (name, type flag, data), gzipped, for hostile cases. */
function hostile(
  entries: { name: string; type?: string; data?: string; prefix?: string; size?: number }[],
  trailer = new Uint8Array(2 * BLOCK),
): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const h = ustarHeader({
      name: e.name,
      type: 'file',
      size: e.size ?? (e.data ?? '').length,
      mode: 0o644,
      mtime: 0,
    });
    if (e.type !== undefined) h[156] = e.type.charCodeAt(0);
    if (e.prefix !== undefined) h.set(Buffer.from(e.prefix), 345);
    h.set(Buffer.from(headerChecksum(h).toString(8).padStart(6, '0') + '\0 '), 148);
    parts.push(h);
    const data = Buffer.from(e.data ?? '');
    const padded = new Uint8Array(Math.ceil(data.length / BLOCK) * BLOCK);
    padded.set(data);
    parts.push(padded);
  }
  parts.push(trailer);
  return gzipSync(Buffer.concat(parts));
}

describe('packTarGz', () => {
  it('gives the same bytes for the same directory, in this process and another', () => {
    const a = packTarGz(pkg, join(base, 'a.tar.gz'));
    const b = packTarGz(pkg, join(base, 'b.tar.gz'));
    expect(readFileSync(a.out)).toEqual(readFileSync(b.out));
    const script = `import { packTarGz } from ${JSON.stringify(new URL('../../../ceremony/evidence/index.ts', import.meta.url).pathname)}; packTarGz(${JSON.stringify(pkg)}, ${JSON.stringify(join(base, 'c.tar.gz'))});`;
    execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    expect(readFileSync(join(base, 'c.tar.gz'))).toEqual(readFileSync(a.out));
    expect(() => packTarGz(pkg, a.out)).toThrow(expect.objectContaining({ code: 'EVIDENCE_OUTPUT_EXISTS' }));
  });

  it('writes fixed owners, modes and times, read back by GNU tar, with a fixed gzip header', () => {
    const out = join(base, 'fixed.tar.gz');
    packTarGz(pkg, out, { mtime: 1_700_000_000, prefix: 'evidence' });
    const gz = readFileSync(out);
    expect([...gz.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3]);
    const listing = execFileSync('tar', ['--numeric-owner', '--full-time', '-tvzf', out], {
      env: { ...process.env, TZ: 'UTC' },
    })
      .toString()
      .trim()
      .split('\n');
    expect(listing[0]).toMatch(/^drwxr-xr-x 0\/0 +0 2023-11-14 22:13:20 evidence\/$/);
    expect(listing.map((l) => l.split(/\s+/).pop())).toEqual([
      'evidence/',
      'evidence/a.txt',
      'evidence/attestations/',
      'evidence/attestations/hsm-1/',
      'evidence/attestations/hsm-1/keys/',
      `evidence/attestations/hsm-1/keys/${'k'.repeat(90)}.statement`,
      'evidence/empty',
    ]);
    for (const l of listing) expect(l).toMatch(/^(-rw-r--r--|drwxr-xr-x) 0\/0 /);
    const tar = execFileSync('gzip', ['-dc', out]);
    expect(tar.length % (20 * BLOCK)).toBe(0);
    expect(readTarGz(gz).get('a.txt')).toEqual(new Uint8Array(Buffer.from('alpha\n')));
  });

  it('refuses symbolic links in the directory', () => {
    const d = join(base, 'with-link');
    mkdirSync(d);
    writeFileSync(join(d, 'f'), 'x');
    symlinkSync('f', join(d, 'l'));
    expect(() => tarDirectory(d)).toThrow(
      expect.objectContaining({ code: 'EVIDENCE_TAR_ENTRY_UNSUPPORTED' }),
    );
    expect(() => loadEvidencePackage(d)).toThrow(
      expect.objectContaining({ code: 'EVIDENCE_ENTRY_UNSUPPORTED' }),
    );
  });
});

describe('gzip', () => {
  it('CRC-32 agrees with zlib and the container with gunzip', () => {
    const data = new Uint8Array(Buffer.from('The quick brown fox'.repeat(100)));
    expect(crc32(data)).toBe(zlibCrc32(data));
    const gz = gzipDeterministic(data);
    expect(spawnSync('gzip', ['-tq'], { input: gz }).status).toBe(0);
    expect(execFileSync('gzip', ['-dc'], { input: gz })).toEqual(Buffer.from(data));
  });
});

describe('readTarGz refuses hostile archives', () => {
  it.each([
    ['an absolute path', [{ name: '/etc/passwd', data: 'x' }], 'EVIDENCE_TAR_PATH_INVALID'],
    ['a .. segment', [{ name: 'pkg/../../x', data: 'x' }], 'EVIDENCE_TAR_PATH_INVALID'],
    ['a symbolic link', [{ name: 'pkg/l', type: '2' }], 'EVIDENCE_TAR_ENTRY_UNSUPPORTED'],
    ['a hard link', [{ name: 'pkg/l', type: '1' }], 'EVIDENCE_TAR_ENTRY_UNSUPPORTED'],
    [
      'a pax header',
      [{ name: 'pkg/x', type: 'x', data: '30 path=../../etc/passwd\n' }],
      'EVIDENCE_TAR_ENTRY_UNSUPPORTED',
    ],
    [
      'a GNU long name',
      [{ name: '././@LongLink', type: 'L', data: 'x'.repeat(300) }],
      'EVIDENCE_TAR_ENTRY_UNSUPPORTED',
    ],
    ['a device', [{ name: 'pkg/dev', type: '3' }], 'EVIDENCE_TAR_ENTRY_UNSUPPORTED'],
    [
      'a duplicate',
      [
        { name: 'pkg/a', data: 'x' },
        { name: 'pkg/a', data: 'y' },
      ],
      'EVIDENCE_TAR_DUPLICATE',
    ],
    [
      'a file under a file',
      [
        { name: 'pkg/a', data: 'x' },
        { name: 'pkg/a/b', data: 'y' },
      ],
      'EVIDENCE_TAR_PATH_INVALID',
    ],
    ['a hidden file', [{ name: 'pkg/.x', data: 'x' }], 'EVIDENCE_TAR_PATH_INVALID'],
    ['data past the end', [{ name: 'pkg/a', data: 'x', size: 5000 }], 'EVIDENCE_TAR_TRUNCATED'],
  ])('%s', (_name, entries, code) => {
    expect(() => readTarGz(hostile(entries))).toThrow(expect.objectContaining({ code }));
  });

  it('a wrong checksum, garbage after the end, no end, not gzip, a gzip bomb', () => {
    const gz = hostile([{ name: 'pkg/a', data: 'x' }]);
    const tar = execFileSync('gzip', ['-dc'], { input: gz });
    const badSum = Buffer.from(tar);
    badSum[0] = 0x71;
    expect(() => readTarGz(gzipSync(badSum))).toThrow(
      expect.objectContaining({ code: 'EVIDENCE_TAR_CHECKSUM_INVALID' }),
    );
    expect(() => readTarGz(gzipSync(Buffer.concat([tar, Buffer.alloc(BLOCK, 1)])))).toThrow(
      expect.objectContaining({ code: 'EVIDENCE_TAR_TRAILING_DATA' }),
    );
    expect(() => readTarGz(gzipSync(tar.subarray(0, 2 * BLOCK)))).toThrow(
      expect.objectContaining({ code: 'EVIDENCE_TAR_TRUNCATED' }),
    );
    expect(() => readTarGz(new Uint8Array(100))).toThrow(
      expect.objectContaining({ code: 'EVIDENCE_GZIP_INVALID' }),
    );
    const bomb = gzipSync(Buffer.alloc(300 * 1024 * 1024), { level: 9 });
    expect(() => readTarGz(bomb)).toThrow(expect.objectContaining({ code: 'EVIDENCE_TAR_TOO_LARGE' }));
  });

  it('strips the one top directory, and reads archives without one', () => {
    expect([
      ...readTarGz(
        hostile([
          { name: 'top/', type: '5' },
          { name: 'top/a', data: 'x' },
        ]),
      ).keys(),
    ]).toEqual(['a']);
    expect([
      ...readTarGz(
        hostile([
          { name: 'a', data: 'x' },
          { name: 'b/c', data: 'y' },
        ]),
      ).keys(),
    ]).toEqual(['a', 'b/c']);
  });
});
