/**
 * verifyValidationBundle on real bundles (counter-signed by an emulated HSM): the good bundle
 * verifies; every field of the bundle changed in turn is refused with its own reason; the policy
 * checks (namespace, validity, clock, profile, rollback, equivocation) each have theirs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFleetKeySet, verifyValidationBundle } from '../../../ceremony/bundle/index.js';
import type { Trust } from '../../../ceremony/bundle/index.js';
import { MalformedError, VerificationError } from '../../../ceremony/errors.js';
import { decodeSignatureMessage, encodeSignatureMessage } from '../../../ceremony/statement/index.js';
import {
  ed25519Signer,
  formatCheckpoint,
  parseCheckpoint,
  parseNote,
  signNote,
} from '../../../ceremony/tlog/index.js';
import { emulatedOperator, fleet, NOW, ORIGIN, seed, T, world } from './fixture.js';
import { at, causeCodeOf, editCbor, errorOf } from './helpers.js';
import type { EditMap } from './helpers.js';

let op: Awaited<ReturnType<typeof emulatedOperator>>;
let w: ReturnType<typeof world>;
let good: Awaited<ReturnType<ReturnType<typeof world>['build']>>;

beforeAll(async () => {
  op = await emulatedOperator('ed25519');
  w = world({ operator: Object.assign(op.hsm, { publicKey: op.publicKey }), operatorAlgorithm: 'ed25519' });
  good = await w.build();
});
afterAll(async () => op?.cleanup());

const verify = (
  bytes: Uint8Array,
  trust: Trust = w.trust,
  o: Partial<Parameters<typeof verifyValidationBundle>[2]> = {},
) => verifyValidationBundle(bytes, trust, { now: NOW, ...o });
const edit = (f: (r: EditMap) => void) => editCbor(good.bytes, f);
const flip = (b: Uint8Array, i = 0) => Uint8Array.from(b, (x, j) => (j === i ? x ^ 1 : x));
const statement = (over: Partial<Parameters<typeof encodeSignatureMessage>[0]>) =>
  encodeSignatureMessage({ ...decodeSignatureMessage(good.statement), ...over });
const note = (r: EditMap) => at(r, 7).get(2) as string;

describe('verifyValidationBundle', () => {
  it('verifies a genuine bundle and returns the fleet', () => {
    const v = verify(good.bytes);
    expect(v.namespace).toBe('example.com/backup-fleet');
    expect(v.epoch).toBe(2n);
    expect(v.keys.map((k) => k.keyId)).toEqual([
      'session-01',
      'session-02',
      'session-03',
      'session-04',
      'session-05',
    ]);
    expect(v.logIndex).toBe(6n);
    expect(v.checkpoint).toMatchObject({ origin: ORIGIN, size: 10n });
    expect(v.witnessKey.publicKey).toEqual(w.wk.current.publicKey);
    expect(v.operatorKey.publicKey).toEqual(op.publicKey);
    expect(v.digest.length).toBe(32);
    expect(verify(good.bytes, w.trust, { now: new Date(NOW) }).epoch).toBe(2n);
  });
});

/** Each field of the good bundle changed → the reason code (and the MalformedError cause code). */
const cases: [string, (r: EditMap) => void, string, string?][] = [
  ['version 2', (r) => r.set(0, 2), 'BUNDLE_VERSION_UNSUPPORTED'],
  ['an unknown field', (r) => r.set(8, 0), 'BUNDLE_MALFORMED', 'FIELD_UNKNOWN'],
  ['no counter-signature', (r) => r.delete(5), 'BUNDLE_MALFORMED', 'FIELD_MISSING'],
  [
    'fleet key set: another valid set',
    (r) => r.set(1, encodeFleetKeySet(fleet({ fleetId: 'other' }))),
    'BUNDLE_DIGEST_MISMATCH',
  ],
  [
    'fleet key set: garbage',
    (r) => r.set(1, Uint8Array.of(1, 2, 3)),
    'BUNDLE_FLEET_KEY_SET_MALFORMED',
    'CBOR_TRAILING_BYTES',
  ],
  [
    'statement: another digest',
    (r) => r.set(2, statement({ digest: new Uint8Array(32) })),
    'BUNDLE_DIGEST_MISMATCH',
  ],
  [
    'statement: another namespace',
    (r) => r.set(2, statement({ namespace: 'example.com/other' })),
    'BUNDLE_NAMESPACE_MISMATCH',
  ],
  ['statement: another epoch', (r) => r.set(2, statement({ epoch: 3n })), 'BUNDLE_EPOCH_MISMATCH'],
  [
    'statement: another time',
    (r) => r.set(2, statement({ timestamp: T('2025-06-16T00:00:00Z') })),
    'BUNDLE_WITNESS_SIGNATURE_INVALID',
  ],
  [
    'statement: bincode ciphersuite',
    (r) => r.set(2, statement({ ciphersuite: 2 })),
    'BUNDLE_WITNESS_SIGNATURE_INVALID',
  ],
  [
    'statement: dated before the key',
    (r) => r.set(2, statement({ timestamp: T('2025-05-15T00:00:00Z') })),
    'BUNDLE_WITNESS_KEY_NOT_YET_VALID',
  ],
  [
    'statement: garbage',
    (r) => r.set(2, Uint8Array.of(9, 9)),
    'BUNDLE_STATEMENT_MALFORMED',
    'STATEMENT_CIPHERSUITE_UNSUPPORTED',
  ],
  [
    'witness signature: one bit',
    (r) => r.set(3, flip(r.get(3) as Uint8Array, 5)),
    'BUNDLE_WITNESS_SIGNATURE_INVALID',
  ],
  ['witness signature: 63 bytes', (r) => r.set(3, new Uint8Array(63)), 'BUNDLE_MALFORMED', 'FIELD_LENGTH'],
  [
    'witness key id: not pinned',
    (r) =>
      r.set(
        4,
        ((r.get(4) as number) + 1) % 256 === w.wk.old.publicKey[31]
          ? ((r.get(4) as number) + 2) % 256
          : ((r.get(4) as number) + 1) % 256,
      ),
    'BUNDLE_WITNESS_KEY_UNKNOWN',
  ],
  [
    'witness key id: the rotated-out key',
    (r) => r.set(4, w.wk.old.publicKey[31]!),
    'BUNDLE_WITNESS_KEY_EXPIRED',
  ],
  ['witness key id: 256', (r) => r.set(4, 256), 'BUNDLE_MALFORMED', 'FIELD_RANGE'],
  [
    'counter-signature: one bit',
    (r) => r.set(5, flip(r.get(5) as Uint8Array, 40)),
    'BUNDLE_COUNTERSIGNATURE_INVALID',
  ],
  ['counter-signature: the witness signature', (r) => r.set(5, r.get(3)!), 'BUNDLE_COUNTERSIGNATURE_INVALID'],
  [
    'operator key id: not pinned',
    (r) => r.set(6, ((r.get(6) as number) + 1) >>> 0),
    'BUNDLE_OPERATOR_KEY_UNKNOWN',
  ],
  ['operator key id: 2^32', (r) => r.set(6, 2 ** 32), 'BUNDLE_MALFORMED', 'FIELD_RANGE'],
  ['proof index: the next entry', (r) => at(r, 7).set(0, 7), 'BUNDLE_INCLUSION_INVALID'],
  ['proof index: the tree size', (r) => at(r, 7).set(0, 10), 'BUNDLE_LOG_INDEX_OUT_OF_RANGE'],
  [
    'proof hashes: one bit',
    (r) => at(r, 7).set(1, flip(at(r, 7).get(1) as Uint8Array, 70)),
    'BUNDLE_INCLUSION_INVALID',
  ],
  [
    'proof hashes: one missing',
    (r) => at(r, 7).set(1, (at(r, 7).get(1) as Uint8Array).slice(32)),
    'BUNDLE_INCLUSION_INVALID',
  ],
  ['proof hashes: 33 bytes', (r) => at(r, 7).set(1, new Uint8Array(33)), 'BUNDLE_MALFORMED', 'FIELD_LENGTH'],
  [
    'checkpoint: another size',
    (r) => at(r, 7).set(2, note(r).replace('\n10\n', '\n11\n')),
    'BUNDLE_CHECKPOINT_SIGNATURE_INVALID',
  ],
  ['checkpoint: garbage', (r) => at(r, 7).set(2, 'hello\n'), 'BUNDLE_CHECKPOINT_MALFORMED', 'NOTE_MALFORMED'],
  [
    'checkpoint: no log signature',
    (r) => at(r, 7).set(2, signNote(parseNote(note(r)).text, ed25519Signer('someone-else', seed('x')))),
    'BUNDLE_CHECKPOINT_SIGNATURE_INVALID',
  ],
  [
    'checkpoint: another log',
    (r) => {
      const cp = parseCheckpoint(parseNote(note(r)).text);
      at(r, 7).set(
        2,
        signNote(
          formatCheckpoint({ ...cp, origin: 'evil.example/log' }),
          ed25519Signer('evil.example/log', seed('evil')),
        ),
      );
    },
    'BUNDLE_CHECKPOINT_ORIGIN_MISMATCH',
  ],
];

describe('every field of the bundle changed in turn is refused with its reason', () => {
  for (const [name, change, code, cause] of cases) {
    it(`${name} → ${code}${cause === undefined ? '' : ` (${cause})`}`, () => {
      const bytes = edit(change);
      const e = errorOf(() => verify(bytes));
      expect(e.code).toBe(code);
      expect(e).toBeInstanceOf(
        code.endsWith('MALFORMED') || code === 'BUNDLE_VERSION_UNSUPPORTED'
          ? MalformedError
          : VerificationError,
      );
      if (cause !== undefined) expect(causeCodeOf(() => verify(bytes))).toBe(cause);
      expect(e.field).toMatch(/^bundle/);
    });
  }
});
