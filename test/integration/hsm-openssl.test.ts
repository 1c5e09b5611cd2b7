/**
 * Stock-tool check of emulated attestations (DESIGN §4): `openssl verify -CAfile <vendor root>
 * -untrusted <device cert> <key attestation cert>` accepts the chain for every algorithm, and
 * rejects it when one byte of the key certificate's signature or TBS is changed, when the device
 * certificate is changed, or when another vendor's root is pinned.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pemEncode } from '../../ceremony/codec/index.js';
import { createEmulatedVendor } from '../../ceremony/hsm/emulated/index.js';
import type { EmulatedHsm } from '../../ceremony/hsm/emulated/index.js';
import type { KeyAttestation } from '../../ceremony/attest/types.js';
import { deviceFixture } from '../unit/hsm/emulated/fixture.js';
import type { DeviceFixture } from '../unit/hsm/emulated/fixture.js';

const run = promisify(execFile);

interface Outcome {
  ok: boolean;
  out: string;
}

/** Runs `openssl verify`; never throws on a failed verification, so both outcomes are asserted. */
async function opensslVerify(root: string, device: string, leaf: string, strict = false): Promise<Outcome> {
  const args = ['verify', ...(strict ? ['-x509_strict'] : []), '-CAfile', root, '-untrusted', device, leaf];
  try {
    const { stdout, stderr } = await run('openssl', args);
    return { ok: true, out: stdout + stderr };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: number };
    return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

let fx: DeviceFixture;
let hsm: EmulatedHsm;
const challenge = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);
const atts = new Map<string, KeyAttestation>();

function writePem(name: string, der: Uint8Array): string {
  const p = join(fx.base, name);
  writeFileSync(p, pemEncode('CERTIFICATE', der));
  return p;
}

/** A copy of `der` with one byte XORed. */
function flipped(der: Uint8Array, at: number): Uint8Array {
  const c = der.slice();
  c[at]! ^= 0x01;
  return c;
}

beforeAll(async () => {
  fx = await deviceFixture('SN-OPENSSL');
  hsm = await fx.open();
  for (const algorithm of ['ed25519', 'p256', 'x25519'] as const) {
    await hsm.generateKey({ label: `k-${algorithm}`, algorithm });
    atts.set(algorithm, await hsm.attestKey(`k-${algorithm}`, challenge));
  }
});
afterAll(async () => {
  await hsm.close();
  fx.cleanup();
});

const root = () => fx.vendor.rootCertificatePath;

describe('openssl verify: emulated attestations', () => {
  it.each(['ed25519', 'p256', 'x25519'])(
    'accepts the %s key attestation chain (also with -x509_strict)',
    async (alg) => {
      const att = atts.get(alg)!;
      const device = writePem(`device-${alg}.pem`, att.chain[0]!);
      const leaf = writePem(`leaf-${alg}.pem`, att.statement);
      expect(await opensslVerify(root(), device, leaf)).toEqual({ ok: true, out: `${leaf}: OK\n` });
      expect((await opensslVerify(root(), device, leaf, true)).ok).toBe(true);
    },
  );

  it.each(['ed25519', 'p256', 'x25519'])(
    'rejects a %s certificate with one byte of the signature changed',
    async (alg) => {
      const att = atts.get(alg)!;
      const device = writePem(`device-sig-${alg}.pem`, att.chain[0]!);
      const leaf = writePem(`leaf-sig-${alg}.pem`, flipped(att.statement, att.statement.length - 1));
      const r = await opensslVerify(root(), device, leaf);
      expect(r.ok).toBe(false);
      expect(r.out).toMatch(/certificate signature failure/i);
    },
  );

  it.each(['ed25519', 'p256', 'x25519'])(
    'rejects a %s certificate with one byte of the TBS changed',
    async (alg) => {
      const att = atts.get(alg)!;
      // The challenge sits in the TBS; flipping a bit of it keeps the DER well-formed.
      const at = Buffer.from(att.statement).indexOf(Buffer.from(challenge)) + 5;
      expect(at).toBeGreaterThan(5);
      const device = writePem(`device-tbs-${alg}.pem`, att.chain[0]!);
      const leaf = writePem(`leaf-tbs-${alg}.pem`, flipped(att.statement, at));
      const r = await opensslVerify(root(), device, leaf);
      expect(r.ok).toBe(false);
      expect(r.out).toMatch(/certificate signature failure/i);
    },
  );

  it('rejects a chain whose device certificate was changed', async () => {
    const att = atts.get('ed25519')!;
    const dev = att.chain[0]!;
    const serialAt = Buffer.from(dev).indexOf(Buffer.from('SN-OPENSSL')) + 3;
    const device = writePem('device-tampered.pem', flipped(dev, serialAt));
    const leaf = writePem('leaf-ok.pem', att.statement);
    expect((await opensslVerify(root(), device, leaf)).ok).toBe(false);
  });

  it("rejects the chain under another vendor's root", async () => {
    const other = await createEmulatedVendor(join(fx.base, 'other-vendor'), { name: 'Other' });
    const att = atts.get('p256')!;
    const device = writePem('device-other.pem', att.chain[0]!);
    const leaf = writePem('leaf-other.pem', att.statement);
    const r = await opensslVerify(other.rootCertificatePath, device, leaf);
    expect(r.ok).toBe(false);
    expect(r.out).toMatch(/unable to get (local )?issuer certificate/i);
  });

  it('the vendor root is what openssl shows as EMULATED', async () => {
    const { stdout } = await run('openssl', ['x509', '-in', root(), '-noout', '-subject']);
    expect(stdout.trim()).toBe(
      'subject=CN = fleet-ceremony EMULATED Vendor Root CA, O = EMULATED - not hardware',
    );
  });
});
