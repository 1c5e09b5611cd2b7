/**
 * The client side is portable: `connect` and `parseTrustFile` bundle for the browser platform
 * with esbuild without a node: built-in or anything from hsm/, fleet/ or cli/, and the bundle runs
 * in a fresh JavaScript context that has only what a browser or a mobile JS engine offers (Web
 * Crypto, fetch, TextEncoder; no process, no Buffer) — there it verifies a real bundle from a real
 * fleet server on loopback and makes an encrypted round trip.
 */
import { rmSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleetServer } from '../../../../ceremony/fleet/index.js';
import type { FleetServer } from '../../../../ceremony/fleet/index.js';
import type { Hsm } from '../../../../ceremony/hsm/index.js';
import { repoRoot } from '../../../support/cli.js';
import { anchors, emulatedDevice, fleetEntries, OPERATOR_LABEL, tempDir } from './fixture.js';

let hsm: Hsm;
const base = tempDir('session-portable');
let server: FleetServer;
let trustText: string;

beforeAll(async () => {
  ({ hsm } = await emulatedDevice(base, 'EMU-P', [
    { label: 'session-x1', algorithm: 'x25519' },
    { label: OPERATOR_LABEL, algorithm: 'ed25519' },
  ]));
  const world = anchors(hsm, (await hsm.findKey(OPERATOR_LABEL))!.publicKey);
  const e = await fleetEntries(hsm, 'hsm-1', ['session-x1', OPERATOR_LABEL], 'emulated');
  server = await startFleetServer({
    hsm,
    bundle: await world.bundle({ hsms: [e.hsm], keys: e.keys }),
    sessionKeyLabel: 'session-x1',
  });
  trustText = world.trustText;
});

afterAll(async () => {
  await server.close();
  await hsm.close();
  rmSync(base, { recursive: true, force: true });
});

describe('the session client is portable', () => {
  it('bundles for the browser and connects from a context without Node globals', async () => {
    const result = await build({
      stdin: {
        contents: `export { connect } from './ceremony/bundle/session/index.ts';\nexport { parseTrustFile } from './ceremony/bundle/index.ts';`,
        resolveDir: repoRoot,
        loader: 'ts',
      },
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'iife',
      globalName: 'fleetClient',
      logLevel: 'silent',
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(
      inputs.filter((i) => i.startsWith('node:') || /\/(hsm|fleet|cli|witness|runner)\//.test(i)),
    ).toEqual([]);
    expect(inputs.some((i) => i.includes('bundle/session/connect.ts'))).toBe(true);
    const sandbox: Record<string, unknown> = {
      crypto: globalThis.crypto,
      fetch: globalThis.fetch,
      AbortSignal,
      URL,
      HostTextEncoder: TextEncoder,
      TextDecoder,
      url: server.url,
      trustText,
      now: Date.now(),
    };
    const run = runInNewContext(
      // One realm, as in a browser: a TextEncoder whose arrays are this context's Uint8Arrays.
      `class TextEncoder { encode(s) { return new Uint8Array(new HostTextEncoder().encode(s)); } }
      ${result.outputFiles[0]!.text}
      (async () => {
        const hasNode = typeof process !== 'undefined' || typeof Buffer !== 'undefined';
        const c = await fleetClient.connect(url, fleetClient.parseTrustFile(trustText), { now });
        const echoed = new TextDecoder().decode(await c.echo('from a browser-like context'));
        const status = await c.status();
        await c.close();
        return { hasNode, keyId: c.key.keyId, echoed, epoch: String(status.epoch) };
      })()`,
      sandbox,
    ) as Promise<Record<string, unknown>>;
    expect(await run).toEqual({
      hasNode: false,
      keyId: 'session-x1',
      echoed: 'from a browser-like context',
      epoch: '2',
    });
    expect(server.stats()).toMatchObject({ handshakes: 1, messages: 3 });
  });
});
