/**
 * manifest.json: the writer's manifest parses and renders back to the same bytes; any other
 * spelling of the same content, an unknown or duplicate member, a wrong type or another format is
 * refused with its own code.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrustFile } from '../../../ceremony/bundle/index.js';
import { hexEncode, utf8Decode, utf8Encode } from '../../../ceremony/codec/index.js';
import { sha256 } from '../../../ceremony/crypto/index.js';
import { anchorsOf } from '../../../ceremony/evidence/defaults.js';
import { EVIDENCE_FILES, parseManifest, renderManifest } from '../../../ceremony/verify/index.js';
import { testPackage } from '../evidence/fixture/package.js';
import type { TestPackage } from '../evidence/fixture/package.js';

let p: TestPackage;
let text: string;
beforeAll(async () => {
  p = await testPackage();
  text = utf8Decode(p.files.get(EVIDENCE_FILES.manifest)!);
});
afterAll(async () => p?.cleanup());

describe('manifest.json', () => {
  it('is canonical: parse then render gives the same bytes', () => {
    const m = parseManifest(utf8Encode(text));
    expect(renderManifest(m)).toBe(text);
    expect(m.files.map((f) => f.path)).toEqual([...m.files.map((f) => f.path)].sort());
    expect(m.files.some((f) => f.path === EVIDENCE_FILES.manifest || f.path === EVIDENCE_FILES.sums)).toBe(
      false,
    );
    expect(m.attestations).toHaveLength(3);
    expect(m.rehearsal).toBe(true);
  });

  it.each([
    [
      'another indentation',
      (t: string) => JSON.stringify(JSON.parse(t), null, 4) + '\n',
      'EVIDENCE_MANIFEST_NOT_CANONICAL',
    ],
    ['no final newline', (t: string) => t.slice(0, -1), 'EVIDENCE_MANIFEST_NOT_CANONICAL'],
    [
      'members reordered',
      (t: string) => {
        const { format, ...rest } = JSON.parse(t) as Record<string, unknown>;
        return JSON.stringify({ ...rest, format }, null, 2) + '\n';
      },
      'EVIDENCE_MANIFEST_NOT_CANONICAL',
    ],
    [
      'an escaped character',
      (t: string) => t.replace('"format"', '"\\u0066ormat"'),
      'EVIDENCE_MANIFEST_NOT_CANONICAL',
    ],
    [
      'an unknown member',
      (t: string) => t.replace('{\n', '{\n  "extra": 1,\n'),
      'EVIDENCE_MANIFEST_FIELD_UNKNOWN',
    ],
    [
      'a duplicate member',
      (t: string) => t.replace('{\n', '{\n  "rehearsal": false,\n'),
      'EVIDENCE_MANIFEST_DUPLICATE_KEY',
    ],
    [
      'a wrong type',
      (t: string) => t.replace('"rehearsal": true', '"rehearsal": "true"'),
      'EVIDENCE_MANIFEST_FIELD_TYPE',
    ],
    [
      'a malformed digest',
      (t: string) => t.replace(/"keySetSha256": "[0-9a-f]/, '"keySetSha256": "X'),
      'EVIDENCE_MANIFEST_FIELD_PATTERN',
    ],
    [
      'another format',
      (t: string) => t.replace('fleet-ceremony/evidence/v1', 'fleet-ceremony/evidence/v2'),
      'EVIDENCE_FORMAT_UNSUPPORTED',
    ],
    ['not JSON', () => '{', 'EVIDENCE_MANIFEST_JSON_INVALID'],
  ])('refuses %s', (_name, mutate, code) => {
    const changed = mutate(text);
    expect(changed).not.toBe(text);
    let err: unknown;
    try {
      parseManifest(utf8Encode(changed));
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code, file: 'manifest.json' });
  });
});

describe('manifest.json anchors: bare vendor root keys', () => {
  it('states a pinned public-key root (nShield KWARN-1) by its SPKI digest, and reads back the same', () => {
    const kwarn = readFileSync(
      new URL('../../vectors/attestation/entrust-nshield/kwarn-1.spki.pem', import.meta.url),
      'utf8',
    );
    const trustJson = {
      ...JSON.parse(readFileSync(p.trustFile, 'utf8')),
      hsm_vendor_roots: [{ name: 'Entrust nShield KWARN-1', pem: kwarn }],
    };
    const trust = parseTrustFile(JSON.stringify(trustJson), 'trust.json');
    const spki = trust.vendorRoots[0]!.publicKeys[0]!;
    const anchors = anchorsOf(trust);
    expect(anchors.vendorRoots).toEqual([
      { name: 'Entrust nShield KWARN-1', sha256: [], publicKeys: [hexEncode(sha256(spki))] },
    ]);
    const m = parseManifest(utf8Encode(text));
    const withKey = renderManifest({ ...m, anchors });
    expect(renderManifest(parseManifest(utf8Encode(withKey)))).toBe(withKey);
    expect(JSON.parse(withKey).anchors.vendorRoots[0].publicKeys).toEqual([hexEncode(sha256(spki))]);
    // A manifest without bare keys keeps its old form: no empty publicKeys member, and an empty
    // one is another spelling of none, refused.
    expect(text).not.toContain('publicKeys');
    const empty = renderManifest({
      ...m,
      anchors: { ...anchors, vendorRoots: [{ name: 'x', sha256: [], publicKeys: [] }] },
    });
    expect(() => parseManifest(utf8Encode(empty))).toThrow(
      expect.objectContaining({ field: expect.stringContaining('publicKeys') }),
    );
  });
});
