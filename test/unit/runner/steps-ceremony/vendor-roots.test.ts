/**
 * `hsms[].vendorRoot` files with several blocks (ceremony/runner/steps/ceremony/vendor-root.ts):
 * every CERTIFICATE and PUBLIC KEY block is a pinned root of that HSM (Marvell pins a
 * manufacturer and an owner root, nShield a bare KWARN-1 key); the identity chain must still end
 * at exactly one of the pinned certificates. On the real emulated HSMs of the steps fixture.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pemDecodeAll } from '../../../../ceremony/codec/index.js';
import { createEmulatedVendor } from '../../../../ceremony/hsm/index.js';
import { scriptVendorRoots } from '../../../../ceremony/runner/steps/ceremony/index.js';
import { vendorRootsOf } from '../../../../ceremony/runner/steps/ceremony/vendor-root.js';
import { repo } from '../script/fixture.js';
import { notes, stepsFixture } from './fixture.js';
import type { StepsFixture } from './fixture.js';

const VECTORS = join(repo, 'test/vectors/attestation');
const vector = (f: string) => readFileSync(join(VECTORS, f), 'utf8');

let fx: StepsFixture;
beforeEach(async () => {
  fx = await stepsFixture();
});
afterEach(() => fx.close());

/** Writes `text` as hsm-3's vendor root file and points the script at it. */
function pinForHsm3(text: string): void {
  writeFileSync(join(fx.dir, 'vendor', 'roots-3.pem'), text);
  fx.loaded.script.hsms[2]!.vendorRoot = 'vendor/roots-3.pem';
}

describe('vendor root files with several blocks', () => {
  it('reads every CERTIFICATE and PUBLIC KEY block, in order', () => {
    const own = readFileSync(join(fx.dir, 'vendor', 'root.pem'), 'utf8');
    pinForHsm3(
      vector('marvell-gcp-cloudhsm/google-hawksbill-root-v1-prod.pem') +
        vector('entrust-nshield/kwarn-1.spki.pem') +
        own,
    );
    const roots = vendorRootsOf(fx.loaded.script.hsms[2]!, fx.dir)!;
    expect(roots.map((r) => r.label)).toEqual(['CERTIFICATE', 'PUBLIC KEY', 'CERTIFICATE']);
    expect(roots[2]!.der).toEqual(pemDecodeAll(own, 'CERTIFICATE')[0]!.der);
    // The script's roots, for verifying attestations, hold every distinct block once.
    expect(scriptVendorRoots({ script: fx.loaded.script, scriptDir: fx.dir })).toHaveLength(3);
  });

  it('the identity chain verifies to the pinned certificate it ends at, wherever it is in the file', async () => {
    const own = readFileSync(join(fx.dir, 'vendor', 'root.pem'), 'utf8');
    pinForHsm3(vector('entrust-nshield/kwarn-1.spki.pem') + vector('yubihsm2/yubihsm-root-ca.pem') + own);
    await fx.run('verify-hsms');
    const hsm3 = notes(fx, 'hsm-identity').find((n) => n['hsm'] === 'hsm-3')!;
    expect(hsm3['vendorRoots']).toHaveLength(3);
    expect(hsm3['vendorRoot']).toBe((hsm3['vendorRoots'] as string[])[2]);
    // Attestations verify under every pinned root too (the emulated root is among them).
    await fx.run('generate');
    await expect(fx.run('attest')).resolves.toMatchObject({ attestations: 3, level: 'emulated' });
  });

  it('refuses a chain that ends at none of the pinned certificates', async () => {
    const other = await createEmulatedVendor(join(fx.dir, 'other-vendor'));
    pinForHsm3(vector('entrust-nshield/kwarn-1.spki.pem') + readFileSync(other.rootCertificatePath, 'utf8'));
    await expect(fx.run('verify-hsms')).rejects.toMatchObject({
      code: 'CEREMONY_HSM_CHAIN_UNTRUSTED',
      field: 'hsms.hsm-3.vendorRoot',
      message: expect.stringContaining('not a vendor root certificate the script pins'),
    });
  });

  it('refuses a block that is neither a certificate nor a public key, naming the file', () => {
    pinForHsm3(
      vector('yubihsm2/yubihsm-root-ca.pem') +
        '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
    );
    expect(() => vendorRootsOf(fx.loaded.script.hsms[2]!, fx.dir)).toThrow(
      expect.objectContaining({
        code: 'CEREMONY_VENDOR_ROOT_INVALID',
        file: join(fx.dir, 'vendor', 'roots-3.pem'),
        message: expect.stringContaining('block 2 is a PRIVATE KEY'),
      }),
    );
  });

  it('refuses a missing file', () => {
    fx.loaded.script.hsms[2]!.vendorRoot = 'vendor/nothing.pem';
    expect(() => vendorRootsOf(fx.loaded.script.hsms[2]!, fx.dir)).toThrow(
      expect.objectContaining({ code: 'CEREMONY_VENDOR_ROOT_MISSING' }),
    );
  });
});
