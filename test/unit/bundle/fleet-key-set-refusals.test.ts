/**
 * The fleet key set decoder refuses every field of a good fixture changed in turn, with its code
 * and dotted path; fuzzed encodings give a valid set or a MalformedError, never another exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeFleetKeySet,
  encodeFleetKeySet,
  MAX_FLEET_KEY_SET_BYTES,
} from '../../../ceremony/bundle/index.js';
import { hexEncode } from '../../../ceremony/codec/index.js';
import { MalformedError } from '../../../ceremony/errors.js';
import { fleet } from './fixture.js';
import { at, codeOf, editCbor, errorOf, runs } from './helpers.js';
import type { EditMap } from './helpers.js';

const good = encodeFleetKeySet(fleet());
const edit = (f: (root: EditMap) => void) => editCbor(good, f);
const K = (i: number) => [6, i] as const;
const H = (i: number) => [7, i] as const;

/** One field of the good fixture changed → [code, field path]. */
const cases: [string, (r: EditMap) => void, string, string][] = [
  ['version 2', (r) => r.set(0, 2), 'FLEET_KEY_SET_VERSION_UNSUPPORTED', 'fleetKeySet.version'],
  ['version as text', (r) => r.set(0, '1'), 'FIELD_TYPE', 'fleetKeySet.version'],
  ['an unknown field', (r) => r.set(10, 0), 'FIELD_UNKNOWN', 'fleetKeySet.10'],
  ['no namespace', (r) => r.delete(1), 'FIELD_MISSING', 'fleetKeySet.namespace'],
  ['empty namespace', (r) => r.set(1, ''), 'FIELD_PATTERN', 'fleetKeySet.namespace'],
  ['namespace with a space', (r) => r.set(1, 'a b'), 'FIELD_PATTERN', 'fleetKeySet.namespace'],
  ['namespace of 129 bytes', (r) => r.set(1, 'a'.repeat(129)), 'FIELD_PATTERN', 'fleetKeySet.namespace'],
  ['epoch 0', (r) => r.set(2, 0), 'FIELD_RANGE', 'fleetKeySet.epoch'],
  ['negative epoch', (r) => r.set(2, -1), 'FIELD_TYPE', 'fleetKeySet.epoch'],
  ['fleet id with a slash', (r) => r.set(3, 'a/b'), 'FIELD_PATTERN', 'fleetKeySet.fleetId'],
  [
    'previous digest of 31 bytes',
    (r) => r.set(4, new Uint8Array(31)),
    'FIELD_LENGTH',
    'fleetKeySet.previousDigest',
  ],
  [
    'previous digest at epoch 1',
    (r) => r.set(2, 1),
    'FLEET_KEY_SET_PREVIOUS_DIGEST_INVALID',
    'fleetKeySet.previousDigest',
  ],
  [
    'notBefore = notAfter',
    (r) => at(r, 5).set(0, at(r, 5).get(1)!),
    'FLEET_KEY_SET_VALIDITY_INVALID',
    'fleetKeySet.validity',
  ],
  [
    'notAfter past year 9999',
    (r) => at(r, 5).set(1, 253_402_300_800_000),
    'FIELD_RANGE',
    'fleetKeySet.validity.notAfter',
  ],
  ['validity without notAfter', (r) => at(r, 5).delete(1), 'FIELD_MISSING', 'fleetKeySet.validity.notAfter'],
  ['no keys', (r) => r.set(6, []), 'FIELD_LENGTH', 'fleetKeySet.keys'],
  ['keys as a map', (r) => r.set(6, new Map()), 'FIELD_TYPE', 'fleetKeySet.keys'],
  ['key id empty', (r) => at(r, ...K(0)).set(0, ''), 'FIELD_PATTERN', 'fleetKeySet.keys[0].keyId'],
  ['role 9', (r) => at(r, ...K(0)).set(1, 9), 'FLEET_KEY_SET_ROLE_UNKNOWN', 'fleetKeySet.keys[0].role'],
  [
    'algorithm 9',
    (r) => at(r, ...K(0)).set(2, 9),
    'FLEET_KEY_SET_ALGORITHM_UNKNOWN',
    'fleetKeySet.keys[0].algorithm',
  ],
  [
    'ed25519 session key',
    (r) => at(r, ...K(0)).set(2, 1),
    'FLEET_KEY_SET_ROLE_ALGORITHM_MISMATCH',
    'fleetKeySet.keys[0].algorithm',
  ],
  [
    'x25519 signing key',
    (r) => at(r, ...K(0)).set(1, 2),
    'FLEET_KEY_SET_ROLE_ALGORITHM_MISMATCH',
    'fleetKeySet.keys[0].algorithm',
  ],
  [
    'public key of 31 bytes',
    (r) => at(r, ...K(0)).set(3, new Uint8Array(31)),
    'FIELD_LENGTH',
    'fleetKeySet.keys[0].publicKey',
  ],
  [
    'low-order x25519 key',
    (r) => at(r, ...K(0)).set(3, new Uint8Array(32)),
    'FLEET_KEY_SET_PUBLIC_KEY_INVALID',
    'fleetKeySet.keys[0].publicKey',
  ],
  [
    'p256 key off the curve',
    (r) => {
      at(r, ...K(0)).set(2, 2);
      at(r, ...K(0)).set(3, Uint8Array.of(4, ...new Uint8Array(64).fill(1)));
    },
    'FLEET_KEY_SET_PUBLIC_KEY_INVALID',
    'fleetKeySet.keys[0].publicKey',
  ],
  [
    'a public key twice',
    (r) => at(r, ...K(1)).set(3, at(r, ...K(0)).get(3)!),
    'FLEET_KEY_SET_PUBLIC_KEY_DUPLICATE',
    'fleetKeySet.keys[1].publicKey',
  ],
  [
    'HSM index 5 of 5',
    (r) => at(r, ...K(0)).set(4, 5),
    'FLEET_KEY_SET_KEY_HSM_UNKNOWN',
    'fleetKeySet.keys[0].hsm',
  ],
  [
    'attestation digest of 33 bytes',
    (r) => at(r, ...K(0)).set(5, new Uint8Array(33)),
    'FIELD_LENGTH',
    'fleetKeySet.keys[0].attestationDigest',
  ],
  ['a key without its HSM', (r) => at(r, ...K(2)).delete(4), 'FIELD_MISSING', 'fleetKeySet.keys[2].hsm'],
  [
    'a key id twice',
    (r) => at(r, ...K(1)).set(0, at(r, ...K(0)).get(0)!),
    'FLEET_KEY_SET_KEY_DUPLICATE',
    'fleetKeySet.keys[1]',
  ],
  [
    'keys out of order',
    (r) => (r.get(6) as unknown[]).reverse(),
    'FLEET_KEY_SET_KEYS_UNSORTED',
    'fleetKeySet.keys[1]',
  ],
  ['no HSMs', (r) => r.set(7, []), 'FIELD_LENGTH', 'fleetKeySet.hsms'],
  [
    'an HSM id twice',
    (r) => at(r, ...H(1)).set(0, at(r, ...H(0)).get(0)!),
    'FLEET_KEY_SET_HSM_DUPLICATE',
    'fleetKeySet.hsms[1]',
  ],
  [
    'one device listed twice: the same serial under two HSM ids',
    (r) => at(r, ...H(1)).set(4, at(r, ...H(0)).get(4)!),
    'FLEET_KEY_SET_SERIAL_DUPLICATE',
    'fleetKeySet.hsms[1].serial',
  ],
  [
    'one device listed twice: a decimal serial, zero-padded the second time',
    (r) => {
      at(r, ...H(0)).set(4, '1234567');
      at(r, ...H(1)).set(4, '01234567');
    },
    'FLEET_KEY_SET_SERIAL_DUPLICATE',
    'fleetKeySet.hsms[1].serial',
  ],
  [
    'HSMs out of order',
    (r) => (r.get(7) as unknown[]).reverse(),
    'FLEET_KEY_SET_HSMS_UNSORTED',
    'fleetKeySet.hsms[1]',
  ],
  ['empty site', (r) => at(r, ...H(0)).set(1, ''), 'FIELD_PATTERN', 'fleetKeySet.hsms[0].site'],
  [
    'vendor with an edge space',
    (r) => at(r, ...H(0)).set(2, 'acme '),
    'FIELD_PATTERN',
    'fleetKeySet.hsms[0].vendor',
  ],
  [
    'model with a newline',
    (r) => at(r, ...H(0)).set(3, 'a\nb'),
    'FIELD_PATTERN',
    'fleetKeySet.hsms[0].model',
  ],
  [
    'serial as bytes',
    (r) => at(r, ...H(0)).set(4, new Uint8Array(2)),
    'FIELD_TYPE',
    'fleetKeySet.hsms[0].serial',
  ],
  [
    'firmware of 129 bytes',
    (r) => at(r, ...H(0)).set(5, 'x'.repeat(129)),
    'FIELD_PATTERN',
    'fleetKeySet.hsms[0].firmware',
  ],
  [
    'attestation level 4',
    (r) => at(r, ...H(0)).set(6, 4),
    'FLEET_KEY_SET_LEVEL_UNKNOWN',
    'fleetKeySet.hsms[0].attestationLevel',
  ],
  ['an unknown HSM field', (r) => at(r, ...H(0)).set(7, 'x'), 'FIELD_UNKNOWN', 'fleetKeySet.hsms[0].7'],
  ['threshold 0', (r) => at(r, 8).set(0, 0), 'FLEET_KEY_SET_QUORUM_INVALID', 'fleetKeySet.quorum.threshold'],
  [
    'threshold above total',
    (r) => at(r, 8).set(0, 6),
    'FLEET_KEY_SET_QUORUM_INVALID',
    'fleetKeySet.quorum.threshold',
  ],
  [
    'total not the number of HSMs',
    (r) => at(r, 8).set(1, 4),
    'FLEET_KEY_SET_QUORUM_INVALID',
    'fleetKeySet.quorum.total',
  ],
  [
    'empty transcript digest',
    (r) => r.set(9, new Uint8Array(0)),
    'FIELD_LENGTH',
    'fleetKeySet.transcriptDigest',
  ],
];

describe('fleet key set decoding refuses every field changed in turn', () => {
  it('decodes the unchanged fixture', () => {
    expect(decodeFleetKeySet(edit(() => undefined))).toEqual(fleet());
  });
  for (const [name, change, code, field] of cases) {
    it(`${name} → ${code} at ${field}`, () => {
      const e = errorOf(() => decodeFleetKeySet(edit(change)));
      expect(e).toBeInstanceOf(MalformedError);
      expect([e.code, e.field]).toEqual([code, field]);
    });
  }

  it('refuses non-canonical CBOR, trailing bytes, oversized input and non-bytes', () => {
    expect(codeOf(() => decodeFleetKeySet(Uint8Array.of(...good, 0)))).toBe('CBOR_TRAILING_BYTES');
    expect(codeOf(() => decodeFleetKeySet(Uint8Array.of(0xb8, 10, ...good.subarray(1))))).toBe(
      'CBOR_NON_SHORTEST',
    );
    expect(codeOf(() => decodeFleetKeySet(new Uint8Array(MAX_FLEET_KEY_SET_BYTES + 1)))).toBe(
      'CBOR_TOO_LARGE',
    );
    expect(codeOf(() => decodeFleetKeySet('x' as unknown as Uint8Array))).toBe('FIELD_TYPE');
    expect(codeOf(() => decodeFleetKeySet(Uint8Array.of(0x80)))).toBe('FIELD_TYPE');
  });
});

describe('fuzzing the fleet key set decoder', () => {
  it('mutated encodings decode to a valid set or give a MalformedError, never another exception', () => {
    const edits = fc.array(
      fc.tuple(fc.nat(), fc.nat({ max: 255 }), fc.constantFrom('set', 'cut', 'insert')),
      {
        minLength: 1,
        maxLength: 3,
      },
    );
    fc.assert(
      fc.property(edits, (list) => {
        let b = Array.from(good);
        for (const [pos, byte, op] of list) {
          const i = pos % (b.length + 1);
          if (op === 'set') b[i] = byte;
          else if (op === 'cut') b = b.slice(0, i);
          else b.splice(i, 0, byte);
        }
        try {
          const ks = decodeFleetKeySet(Uint8Array.from(b));
          expect(hexEncode(encodeFleetKeySet(ks))).toBe(hexEncode(Uint8Array.from(b)));
        } catch (e) {
          expect(e).toBeInstanceOf(MalformedError);
        }
      }),
      { numRuns: runs(1500) },
    );
  });
});
