/**
 * k-of-n cosigner policy over the witness log's checkpoint, and the P-256 operator key made in an
 * emulated HSM.
 */
import { describe, expect, it } from 'vitest';
import { verifyValidationBundle } from '../../../ceremony/bundle/index.js';
import { base64Decode, base64Encode } from '../../../ceremony/codec/index.js';
import { emulatedOperator, NOW, softwareHsm, world } from './fixture.js';
import { at, codeOf, editCbor } from './helpers.js';
import type { EditMap } from './helpers.js';

describe('cosigner quorum', () => {
  const w = world({
    operator: softwareHsm('ed25519'),
    operatorAlgorithm: 'ed25519',
    cosigners: 3,
    quorum: 2,
  });
  const verify = (bytes: Uint8Array) => verifyValidationBundle(bytes, w.trust, { now: NOW });

  it('accepts 3 of 3 and 2 of 3 cosignatures, and names the cosigners', async () => {
    expect(verify((await w.build()).bytes).cosigners).toEqual([
      'cosigner-0.example.org',
      'cosigner-1.example.org',
      'cosigner-2.example.org',
    ]);
    expect(verify((await w.build({ cosignedBy: [0, 2] })).bytes).cosigners).toEqual([
      'cosigner-0.example.org',
      'cosigner-2.example.org',
    ]);
  });

  it('refuses 1 of 3 and 0 of 3 when the trust file asks for 2', async () => {
    const one = (await w.build({ cosignedBy: [1] })).bytes;
    const none = (await w.build({ cosignedBy: [] })).bytes;
    expect(codeOf(() => verify(one))).toBe('BUNDLE_COSIGNER_QUORUM');
    expect(codeOf(() => verify(none))).toBe('BUNDLE_COSIGNER_QUORUM');
  });

  it('refuses a checkpoint whose pinned cosigner signature does not verify', async () => {
    const b = await w.build();
    const bad = editCbor(b.bytes, (r: EditMap) => {
      const note = at(r, 7).get(2) as string;
      const lines = note.split('\n');
      const i = lines.findIndex((l) => l.includes('cosigner-1.example.org'));
      const parts = lines[i]!.split(' ');
      const sig = base64Decode(parts[2]!);
      sig[sig.length - 1]! ^= 1;
      parts[2] = base64Encode(sig);
      lines[i] = parts.join(' ');
      at(r, 7).set(2, lines.join('\n'));
    });
    expect(codeOf(() => verify(bad))).toBe('BUNDLE_COSIGNATURE_INVALID');
  });

  it('ignores cosignatures when the trust file pins no cosigners', async () => {
    const plain = world({ operator: softwareHsm('ed25519'), operatorAlgorithm: 'ed25519' });
    const b = await w.build({ cosignedBy: [0] });
    expect(verifyValidationBundle(b.bytes, plain.trust, { now: NOW }).cosigners).toEqual([]);
  });
});

describe('P-256 operator key in an emulated HSM', () => {
  it('counter-signs through the Hsm interface, and the bundle verifies', async () => {
    const op = await emulatedOperator('p256');
    try {
      const w = world({
        operator: Object.assign(op.hsm, { publicKey: op.publicKey }),
        operatorAlgorithm: 'p256',
      });
      const b = await w.build();
      const v = verifyValidationBundle(b.bytes, w.trust, { now: NOW });
      expect(v.operatorKey.algorithm).toBe('p256');
      expect(b.countersignature.length).toBe(64);
      const bad = editCbor(b.bytes, (r) =>
        r.set(
          5,
          Uint8Array.from(r.get(5) as Uint8Array, (x, i) => (i === 63 ? x ^ 1 : x)),
        ),
      );
      expect(codeOf(() => verifyValidationBundle(bad, w.trust, { now: NOW }))).toBe(
        'BUNDLE_COUNTERSIGNATURE_INVALID',
      );
    } finally {
      await op.cleanup();
    }
  });
});
