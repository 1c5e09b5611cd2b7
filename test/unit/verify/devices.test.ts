/**
 * The `devices` check (docs/evidence.md, "Identity chains"): an HSM's identity chain must lie on the
 * verified path of its attestations and hold the certificate that signed them, and end at a pinned
 * root. Each case is re-signed by an attacker holding the operator key, so only this check can
 * refuse it; the first two are chains the earlier rule (last certificate pinned, signer present)
 * accepted. An HSM whose attestations have no X.509 path cannot show an identity chain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttestationResult } from '../../../ceremony/attest/index.js';
import type { FleetKeySet, Trust } from '../../../ceremony/bundle/index.js';
import { pemDecodeAll, pemEncode, utf8Decode, utf8Encode } from '../../../ceremony/codec/index.js';
import { CheckRecorder, deviceChainPath, verifyEvidence } from '../../../ceremony/verify/index.js';
import type { AttestationFact, EvidenceReport } from '../../../ceremony/verify/index.js';
import { deviceSteps } from '../../../ceremony/verify/steps-devices.js';
import { copy, resign } from '../evidence/fixture/forge.js';
import { testPackage } from '../evidence/fixture/package.js';
import type { TestPackage } from '../evidence/fixture/package.js';

let p: TestPackage;
beforeAll(async () => {
  p = await testPackage();
});
afterAll(async () => p.cleanup());

const failed = (r: EvidenceReport) =>
  r.checks.filter((c) => !c.ok || c.skipped === true).map((c) => `${c.id} ${c.code}`);
const devices = (r: EvidenceReport) => r.checks.find((c) => c.id === 'devices')!;
const chainOf = (hsm: string): Uint8Array[] =>
  pemDecodeAll(utf8Decode(p.files.get(deviceChainPath(hsm))!, 'pem'), 'CERTIFICATE').map((b) => b.der);
const pem = (certs: Uint8Array[]) => utf8Encode(certs.map((c) => pemEncode('CERTIFICATE', c)).join(''));

/** The package with hsm-1's identity chain replaced by `certs`, re-signed with the operator key. */
async function withChain(certs: Uint8Array[]): Promise<EvidenceReport> {
  const files = await resign(copy(p.files).set(deviceChainPath('hsm-1'), pem(certs)), p.world);
  return verifyEvidence(files, p.world.trust);
}

describe('devices, in a package re-signed by the operator key', () => {
  it('accepts the identity chains the HSMs reported: each is its attestations’ verified path', async () => {
    const r = await verifyEvidence(p.files, p.world.trust);
    expect(failed(r)).toEqual([]);
    expect(devices(r).reason).toMatch(
      /^3 of 3 HSMs reported an identity chain; each ends at a pinned vendor root and lies on the verified path of its attestations$/,
    );
  });

  it('refuses a certificate whose signature nothing checked, between the signer and the root', async () => {
    const [device1, root] = chainOf('hsm-1') as [Uint8Array, Uint8Array];
    const r = await withChain([device1, chainOf('hsm-2')[0]!, root]);
    expect(failed(r)).toEqual(['devices EVIDENCE_DEVICE_CHAIN_UNBOUND']);
    expect(devices(r).reason).toMatch(
      /certificate 1 of the identity chain is not on the path key fleet-session-1/,
    );
  });

  it('refuses another HSM’s identity chain, ending at the same pinned root', async () => {
    const r = await withChain(chainOf('hsm-2'));
    expect(failed(r)).toEqual(['devices EVIDENCE_DEVICE_CHAIN_UNBOUND']);
  });

  it('refuses a chain without the certificate that signed the attestations', async () => {
    const r = await withChain(chainOf('hsm-1').slice(1));
    expect(failed(r)).toEqual(['devices EVIDENCE_DEVICE_CHAIN_UNBOUND']);
    expect(devices(r).reason).toMatch(
      /the certificate that signed key fleet-session-1's attestation is not in/,
    );
  });

  it('refuses a chain whose last certificate is not pinned', async () => {
    const r = await withChain(chainOf('hsm-1').slice(0, 1));
    expect(failed(r)).toEqual(['devices EVIDENCE_DEVICE_CHAIN_INVALID']);
  });
});

describe('devices, against the attestation facts', () => {
  const ks = { hsms: [{ id: 'hsm-1' }] } as unknown as FleetKeySet;
  const fact = (result: Partial<AttestationResult>, ok = true): AttestationFact => ({
    keyId: 'k1',
    hsmId: 'hsm-1',
    format: 'pkcs11-attributes/v1',
    result: result as AttestationResult,
    ok,
  });
  async function run(facts: AttestationFact[]) {
    const chain = chainOf('hsm-1');
    const trust = {
      vendorRoots: [{ name: 'v', certificates: [chain[1]!], publicKeys: [] }],
    } as unknown as Trust;
    const rec = new CheckRecorder();
    await deviceSteps(new Map([[deviceChainPath('hsm-1'), pem(chain)]]), ks, trust, facts, rec);
    return rec.checks[0]!;
  }

  it('refuses an identity chain for an HSM whose verified attestation has no X.509 path', async () => {
    const c = await run([fact({})]);
    expect(c).toMatchObject({ ok: false, code: 'EVIDENCE_DEVICE_CHAIN_UNBOUND' });
    expect(c.reason).toMatch(/key k1's attestation \(pkcs11-attributes\/v1\) has no X\.509 path/);
    // The same chain, with the attestation's path being that chain, is accepted.
    expect((await run([fact({ path: chainOf('hsm-1') })])).ok).toBe(true);
  });

  it('refuses the identity chain of an HSM that holds no fleet key: no attestation ties it', async () => {
    const c = await run([]);
    expect(c).toMatchObject({ ok: false, code: 'EVIDENCE_DEVICE_CHAIN_UNBOUND' });
    expect(c.reason).toContain('holds no fleet key');
  });

  it('leaves the chain of an HSM whose attestations all failed to their checks, and says so', async () => {
    const c = await run([fact({}, false)]);
    expect(c.ok).toBe(true);
    expect(c.reason).toMatch(
      /; 1 of them not bound: none of their attestations verified \(see those checks\)$/,
    );
  });
});
