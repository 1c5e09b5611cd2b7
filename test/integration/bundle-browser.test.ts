/**
 * The portable verifier in a real browser: ceremony/bundle is bundled with esbuild for the browser
 * platform (no node: built-ins can slip in) and run in Debian's Chromium through playwright-core,
 * on a real validation bundle: the genuine bundle verifies with the same result as in Node, and
 * tampered bundles are refused with the same reason codes. No browser is ever downloaded.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexEncode } from '../../ceremony/codec/index.js';
import { repoRoot } from '../support/cli.js';
import { NOW, softwareHsm, world } from '../unit/bundle/fixture.js';
import { editCbor } from '../unit/bundle/helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The page's entry: the library's portable verifier, exposed as globalThis.fleet. */
const ENTRY = `
import { parseTrustFile, verifyValidationBundle } from './ceremony/bundle/index.ts';
import { cryptoBackend } from './ceremony/crypto/index.ts';
import { hexEncode } from './ceremony/codec/index.ts';
globalThis.fleet = {
  backend: () => cryptoBackend().name,
  verify(bundle, trustText, now) {
    try {
      const v = verifyValidationBundle(Uint8Array.from(bundle), parseTrustFile(trustText, 'trust.json'), { now });
      return { ok: true, epoch: String(v.epoch), digest: hexEncode(v.digest), keys: v.keys.map((k) => k.keyId), logIndex: String(v.logIndex) };
    } catch (e) {
      return { ok: false, code: e.code ?? String(e), field: e.field };
    }
  },
};
`;

let profile: string;
let context: BrowserContext | undefined;
let page: Page;
let script: string;
let w: ReturnType<typeof world>;
let good: Awaited<ReturnType<ReturnType<typeof world>['build']>>;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (never downloaded by this suite)`);
  const out = await build({
    stdin: { contents: ENTRY, resolveDir: repoRoot, sourcefile: 'browser-entry.ts', loader: 'ts' },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  script = out.outputFiles[0]!.text;
  w = world({ operator: softwareHsm('ed25519'), operatorAlgorithm: 'ed25519' });
  good = await w.build();
  profile = mkdtempSync(join(tmpdir(), 'fc-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
  });
  page = await context.newPage();
  await page.setContent('<!doctype html><title>fleet-ceremony verifier</title>');
  await page.addScriptTag({ content: script });
}, 120_000);

afterAll(async () => {
  await context?.close();
  if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
});

type Result =
  | { ok: true; epoch: string; digest: string; keys: string[]; logIndex: string }
  | { ok: false; code: string; field?: string };
const inBrowser = (bytes: Uint8Array, trust = w.trustText, now = NOW): Promise<Result> =>
  page.evaluate(
    ([b, t, n]) =>
      (
        globalThis as unknown as { fleet: { verify(b: number[], t: string, n: number): Result } }
      ).fleet.verify(b, t, n),
    [Array.from(bytes), trust, now] as const,
  );

describe('verifyValidationBundle in Chromium', () => {
  it('bundles for the browser without node: built-ins, and runs on the portable backend', async () => {
    expect(script).not.toMatch(/require\(["']node:/);
    expect(script.length).toBeGreaterThan(10_000);
    expect(
      await page.evaluate(() => (globalThis as unknown as { fleet: { backend(): string } }).fleet.backend()),
    ).toBe('portable');
  });

  it('verifies a genuine bundle with the same result as in Node', async () => {
    const r = await inBrowser(good.bytes);
    const { fleetKeySetDigest } = await import('../../ceremony/bundle/index.js');
    expect(r).toEqual({
      ok: true,
      epoch: '2',
      digest: hexEncode(fleetKeySetDigest(good.fks)),
      keys: ['session-01', 'session-02', 'session-03', 'session-04', 'session-05'],
      logIndex: '6',
    });
  });

  it('refuses tampered bundles with the same reasons', async () => {
    const flip = (b: Uint8Array, i: number) => Uint8Array.from(b, (x, j) => (j === i ? x ^ 1 : x));
    const cases: [Uint8Array, string][] = [
      [
        editCbor(good.bytes, (r) => r.set(3, flip(r.get(3) as Uint8Array, 0))),
        'BUNDLE_WITNESS_SIGNATURE_INVALID',
      ],
      [
        editCbor(good.bytes, (r) => r.set(5, flip(r.get(5) as Uint8Array, 9))),
        'BUNDLE_COUNTERSIGNATURE_INVALID',
      ],
      [editCbor(good.bytes, (r) => (r.get(7) as Map<number, unknown>).set(0, 7)), 'BUNDLE_INCLUSION_INVALID'],
      [good.bytes.subarray(0, 100), 'BUNDLE_MALFORMED'],
    ];
    for (const [bytes, code] of cases) expect(await inBrowser(bytes)).toMatchObject({ ok: false, code });
    expect(await inBrowser(good.bytes, w.trustText, Date.parse('2027-01-01T00:00:00Z'))).toMatchObject({
      ok: false,
      code: 'BUNDLE_EXPIRED',
    });
  });
});
