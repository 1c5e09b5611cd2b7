/**
 * The fleet key set: round trips, every field changed in turn refused with its code and path,
 * the encoder's checks, the JSON rendering and the diff.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeFleetKeySet,
  diffFleetKeySets,
  encodeFleetKeySet,
  fleetKeySetDigest,
  fleetKeySetToJson,
} from '../../../ceremony/bundle/index.js';
import { hexDecode, hexEncode } from '../../../ceremony/codec/index.js';
import { ed25519, p256, sha256 } from '../../../ceremony/crypto/index.js';
import { UsageError } from '../../../ceremony/errors.js';
import { fleet, seed } from './fixture.js';
import { codeOf, errorOf } from './helpers.js';

const good = encodeFleetKeySet(fleet());

describe('fleet key set encoding', () => {
  it('round-trips, sorted by id, and its digest is SHA-256 of the bytes', () => {
    const ks = fleet();
    const shuffled = { ...ks, keys: [...ks.keys].reverse(), hsms: [...ks.hsms].reverse() };
    const bytes = encodeFleetKeySet(shuffled);
    expect(hexEncode(bytes)).toBe(hexEncode(good));
    expect(decodeFleetKeySet(bytes)).toEqual(ks);
    expect(fleetKeySetDigest(bytes)).toEqual(sha256(bytes));
    expect(bytes.length).toBeLessThan(1000);
  });

  it('accepts ed25519 and p256 signing keys, p256 session keys, and epoch 1 with no previous digest', () => {
    const ks = fleet({ epoch: 1n, previousDigest: null });
    ks.keys[0] = {
      ...ks.keys[0]!,
      role: 'signing',
      algorithm: 'ed25519',
      publicKey: ed25519.getPublicKey(seed('sig')),
    };
    ks.keys[1] = {
      ...ks.keys[1]!,
      role: 'signing',
      algorithm: 'p256',
      publicKey: p256.getPublicKey(seed('p')),
    };
    ks.keys[2] = {
      ...ks.keys[2]!,
      role: 'session',
      algorithm: 'p256',
      publicKey: p256.getPublicKey(seed('q')),
    };
    expect(decodeFleetKeySet(encodeFleetKeySet(ks))).toEqual(ks);
  });

  it('allows a null previous digest after epoch 1 (a chain start after migration)', () => {
    const ks = fleet({ epoch: 7n, previousDigest: null });
    expect(decodeFleetKeySet(encodeFleetKeySet(ks)).previousDigest).toBeNull();
  });

  it('accepts the largest epoch (2^64 − 1)', () => {
    const ks = fleet({ epoch: 2n ** 64n - 1n });
    expect(decodeFleetKeySet(encodeFleetKeySet(ks)).epoch).toBe(2n ** 64n - 1n);
  });
});

describe('the encoder', () => {
  it('refuses what the decoder refuses, as usage errors naming the field', () => {
    const bad = fleet();
    bad.keys[1] = { ...bad.keys[1]!, keyId: bad.keys[0]!.keyId };
    const e = errorOf(() => encodeFleetKeySet(bad));
    expect(e).toBeInstanceOf(UsageError);
    expect([e.code, e.field]).toEqual(['FLEET_KEY_SET_KEY_DUPLICATE', 'fleetKeySet.keys[1]']);
  });

  it('names an unknown HSM id, role, algorithm or level, and a wrong shape', () => {
    const ks = fleet();
    expect(codeOf(() => encodeFleetKeySet({ ...ks, keys: [{ ...ks.keys[0]!, hsmId: 'nope' }] }))).toBe(
      'FLEET_KEY_SET_KEY_HSM_UNKNOWN',
    );
    expect(
      codeOf(() => encodeFleetKeySet({ ...ks, keys: [{ ...ks.keys[0]!, role: 'x' as 'session' }] })),
    ).toBe('FLEET_KEY_SET_ROLE_UNKNOWN');
    expect(
      codeOf(() => encodeFleetKeySet({ ...ks, keys: [{ ...ks.keys[0]!, algorithm: 'rsa' as 'p256' }] })),
    ).toBe('FLEET_KEY_SET_ALGORITHM_UNKNOWN');
    expect(
      codeOf(() =>
        encodeFleetKeySet({
          ...ks,
          hsms: ks.hsms.map((h) => ({ ...h, attestationLevel: 'tpm' as 'emulated' })),
        }),
      ),
    ).toBe('FLEET_KEY_SET_LEVEL_UNKNOWN');
    expect(codeOf(() => encodeFleetKeySet({ ...ks, keys: null as unknown as [] }))).toBe('FIELD_TYPE');
    expect(codeOf(() => encodeFleetKeySet({ ...ks, validity: { notBefore: 1.5, notAfter: 2 } }))).toBe(
      'CBOR_FLOAT',
    );
  });
});

describe('the docs/formats.md example', () => {
  it('encodes to the documented bytes and digest', () => {
    const ks = {
      version: 1,
      namespace: 'example.com/fleet',
      epoch: 1n,
      fleetId: 'f1',
      previousDigest: null,
      validity: {
        notBefore: Date.parse('2025-06-01T00:00:00Z'),
        notAfter: Date.parse('2026-06-01T00:00:00Z'),
      },
      keys: [
        {
          keyId: 'k1',
          role: 'session' as const,
          algorithm: 'x25519' as const,
          publicKey: hexDecode('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f'),
          hsmId: 'h1',
          attestationDigest: new Uint8Array(32).fill(0xaa),
        },
      ],
      hsms: [
        {
          id: 'h1',
          site: 'dc1',
          vendor: 'acme',
          model: 'm',
          serial: '1',
          firmware: '1.0',
          attestationLevel: 'emulated' as const,
        },
      ],
      quorum: { threshold: 1, total: 1 },
      transcriptDigest: new Uint8Array(32).fill(0xbb),
    };
    const bytes = encodeFleetKeySet(ks);
    expect(hexEncode(bytes)).toBe(
      'aa000101716578616d706c652e636f6d2f666c65657402010362663104f605a2001b0000019728c9c000011b0000019e807aec00' +
        '0681a600626b3101010203035820de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f0400055820' +
        'aa'.repeat(32) +
        '0781a7006268310163646331026461636d6503616d0461310563312e30060308a200010101095820' +
        'bb'.repeat(32),
    );
    expect(hexEncode(fleetKeySetDigest(bytes))).toBe(
      '391abf9cf406585f4019dd8baf9ca30df183256e9a036f1d5ddc356a81f85e90',
    );
  });
});

describe('JSON rendering and diff', () => {
  it('renders hex, ISO times and a decimal epoch, in a stable order', () => {
    const j = fleetKeySetToJson(fleet());
    expect(j.validity).toEqual({
      notBefore: '2025-06-01T00:00:00.000Z',
      notAfter: '2026-06-01T00:00:00.000Z',
    });
    expect(j.epoch).toBe('2');
    expect(j.keys[0]!.publicKey).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(j)).toEqual([
      'version',
      'namespace',
      'epoch',
      'fleetId',
      'previousDigest',
      'validity',
      'keys',
      'hsms',
      'quorum',
      'transcriptDigest',
    ]);
    const reordered = fleet();
    reordered.keys.reverse();
    expect(JSON.stringify(fleetKeySetToJson(reordered))).toBe(JSON.stringify(j));
  });

  it('reports added, removed and changed keys and HSMs, and changed fields', () => {
    const a = fleet();
    const b = fleet({ epoch: 3n, previousDigest: fleetKeySetDigest(encodeFleetKeySet(a)) });
    b.keys = b.keys.filter((k) => k.keyId !== 'session-05');
    b.keys[0] = { ...b.keys[0]!, publicKey: ed25519.getPublicKey(seed('x')) };
    b.keys.push({ ...a.keys[4]!, keyId: 'session-06', publicKey: ed25519.getPublicKey(seed('y')) });
    b.hsms[1] = { ...b.hsms[1]!, firmware: '1.1.0' };
    const d = diffFleetKeySets(a, b);
    expect(d.identical).toBe(false);
    expect(d.changes.map((c) => c.field)).toEqual(['epoch', 'previousDigest']);
    expect(d.keys.added.map((k) => k.keyId)).toEqual(['session-06']);
    expect(d.keys.removed.map((k) => k.keyId)).toEqual(['session-05']);
    expect(d.keys.changed).toEqual([
      {
        id: 'session-01',
        changes: [
          { field: 'publicKey', from: hexEncode(a.keys[0]!.publicKey), to: hexEncode(b.keys[0]!.publicKey) },
        ],
      },
    ]);
    expect(d.hsms.changed).toEqual([
      { id: 'hsm-02', changes: [{ field: 'firmware', from: '1.0.0', to: '1.1.0' }] },
    ]);
    expect(d.hsms.unchanged).toEqual(['hsm-01', 'hsm-03', 'hsm-04', 'hsm-05']);
    expect(diffFleetKeySets(a, fleet()).identical).toBe(true);
  });
});
