/**
 * One bit changed anywhere in the evidence of a real Yubico sample (statement or any chain
 * certificate) is refused. The first sample of each format is checked at every bit; the others at
 * every 7th bit (offset by sample, so different bits are hit), which keeps the suite fast.
 *
 * The pinned root is not evidence: it is the verifier's input (the trust file), compared by the
 * operator against a published fingerprint, so it is not mutated here.
 */
import { describe, expect, it } from 'vitest';
import type { KeyAttestation } from '../../../../ceremony/attest/types.js';
import { verifyAttestation } from '../../../../ceremony/attest/verify.js';
import { CHECKED_ON, flipBit, pemCert, samplesOf } from '../support/vectors.js';

interface Case {
  id: string;
  evidence: KeyAttestation;
  root: Uint8Array;
  stride: number;
}

const cases: Case[] = [
  ...samplesOf('yubico-yubihsm2').map((s, i) => ({
    id: s.id,
    evidence: {
      format: 'yubihsm2',
      statement: pemCert(s.files.attestation as string),
      chain: [s.files.device_certificate as string, ...(s.files.intermediates as string[])].map(pemCert),
    },
    root: pemCert(s.files.root as string),
    stride: i === 0 ? 1 : 7,
  })),
  ...samplesOf('yubico-yubikey-piv').map((s, i) => ({
    id: s.id,
    evidence: {
      format: 'yubikey-piv',
      statement: pemCert(s.files.attestation as string),
      chain: [pemCert(s.files.device_certificate as string)],
    },
    root: pemCert(s.files.root as string),
    stride: i === 0 ? 1 : 7,
  })),
];

/** Every (part, bit) this case mutates: part -1 is the statement, i ≥ 0 is chain[i]. */
function* mutations(c: Case, offset: number): Generator<KeyAttestation> {
  const parts = [c.evidence.statement, ...c.evidence.chain];
  for (const [p, bytes] of parts.entries()) {
    for (let bit = offset % c.stride; bit < bytes.length * 8; bit += c.stride) {
      const flipped = flipBit(bytes, bit);
      yield p === 0
        ? { ...c.evidence, statement: flipped }
        : { ...c.evidence, chain: c.evidence.chain.map((d, i) => (i === p - 1 ? flipped : d)) };
    }
  }
}

describe('one flipped bit anywhere in real Yubico evidence is refused', () => {
  it.each(cases.map((c, i) => [c.id, c, i] as const))('%s', async (_id, c, i) => {
    const options = { trustedRoots: [c.root], now: CHECKED_ON };
    expect((await verifyAttestation(c.evidence, options)).ok).toBe(true);
    let count = 0;
    const accepted: string[] = [];
    for (const evidence of mutations(c, i)) {
      count++;
      const r = await verifyAttestation(evidence, options);
      if (r.ok || r.failures.length === 0) accepted.push(`mutation ${count}`);
    }
    expect(accepted).toEqual([]);
    expect(count).toBeGreaterThan(c.stride === 1 ? 8000 : 1000);
  });
});
