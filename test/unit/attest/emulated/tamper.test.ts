/**
 * A tampered emulated certificate (one bit in the TBS, one bit in the signature) is refused both by
 * `openssl verify` (OpenSSL 3.0, the tool VERIFY.md tells auditors to use) and by the verifier;
 * the untampered chain is accepted by both, so the test cannot pass by openssl failing for
 * another reason.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAttestation } from '../../../../ceremony/attest/verify.js';
import type { Issued } from '../support/emulated-fixtures.js';
import {
  CHALLENGE,
  NOW,
  keyExtensions,
  makeDevice,
  makeKeyCert,
  makeKeySpki,
  makeRoot,
  toPem,
} from '../support/emulated-fixtures.js';
import { flipBit } from '../support/vectors.js';

let dir: string;
let root: Issued;
let device: Issued;
let key: Uint8Array;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'attest-tamper-'));
  root = await makeRoot();
  device = await makeDevice(root);
  key = await makeKeyCert(device, await makeKeySpki('ed25519'), {
    extensions: keyExtensions({ algorithm: 'ed25519' }),
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `openssl verify` of `leaf` with `untrusted` against `root`: true when it prints OK. */
function opensslVerifies(leaf: Uint8Array, untrusted: Uint8Array): boolean {
  writeFileSync(join(dir, 'root.pem'), toPem(root.der));
  writeFileSync(join(dir, 'device.pem'), toPem(untrusted));
  writeFileSync(join(dir, 'key.pem'), toPem(leaf));
  try {
    const out = execFileSync(
      'openssl',
      ['verify', '-CAfile', 'root.pem', '-untrusted', 'device.pem', 'key.pem'],
      {
        cwd: dir,
        stdio: 'pipe',
      },
    );
    return out.toString().trim() === 'key.pem: OK';
  } catch {
    return false;
  }
}

async function verifierAccepts(leaf: Uint8Array, deviceDer: Uint8Array) {
  return verifyAttestation(
    { format: 'emulated-x509/v1', statement: leaf, chain: [deviceDer] },
    { trustedRoots: [root.der], now: NOW, expectedChallenge: CHALLENGE },
  );
}

/** Bit offset of the first occurrence of `text` in `der`. */
function bitOf(der: Uint8Array, text: string): number {
  const needle = new TextEncoder().encode(text);
  for (let i = 0; i + needle.length <= der.length; i++) {
    if (needle.every((b, j) => der[i + j] === b)) return i * 8 + 7;
  }
  throw new Error(`${text} not found`);
}

describe('emulated-x509/v1 tampering: openssl and the verifier agree', () => {
  it('accepts the untampered chain (both)', async () => {
    expect(opensslVerifies(key, device.der)).toBe(true);
    expect((await verifierAccepts(key, device.der)).failures).toEqual([]);
  });

  const cases: [string, () => [Uint8Array, Uint8Array]][] = [
    [
      'one bit of the key certificate TBS (its subject)',
      () => [flipBit(key, bitOf(key, 'fleet-key-1')), device.der],
    ],
    ['one bit of the key certificate signature', () => [flipBit(key, key.length * 8 - 1), device.der]],
    [
      'one bit of the device certificate TBS (its model extension)',
      () => [key, flipBit(device.der, bitOf(device.der, 'Emulated HSM'))],
    ],
    [
      'one bit of the device certificate signature',
      () => [key, flipBit(device.der, device.der.length * 8 - 1)],
    ],
  ];
  it.each(cases)('refuses %s (both)', async (_name, make) => {
    const [leaf, dev] = make();
    expect(opensslVerifies(leaf, dev)).toBe(false);
    const r = await verifierAccepts(leaf, dev);
    expect(r.ok).toBe(false);
    expect(r.failures.map((f) => f.code)).toContain('ATTEST_SIGNATURE_INVALID');
  });
});
