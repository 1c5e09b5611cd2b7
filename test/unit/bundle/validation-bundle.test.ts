/**
 * The validation bundle encoding: round trips, the C2SP tlog-proof it carries, the inspection
 * rendering, the encoder's checks, and fuzzing: random and mutated bundles give a typed error
 * (or, for the untouched bytes, a verified bundle), never a crash, a hang or a wrong acceptance.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  assembleValidationBundle,
  decodeValidationBundle,
  encodeValidationBundle,
  inspectValidationBundle,
  validationBundleTlogProof,
  verifyValidationBundle,
} from '../../../ceremony/bundle/index.js';
import { decodeCbor, encodeCbor, equalBytes, hexEncode } from '../../../ceremony/codec/index.js';
import type { CborInput } from '../../../ceremony/codec/index.js';
import { isCeremonyError, UsageError } from '../../../ceremony/errors.js';
import { NOW, softwareHsm, world } from './fixture.js';
import { codeOf, errorOf, runs } from './helpers.js';

let w: ReturnType<typeof world>;
let good: Awaited<ReturnType<ReturnType<typeof world>['build']>>;
beforeAll(async () => {
  w = world({ operator: softwareHsm('ed25519'), operatorAlgorithm: 'ed25519' });
  good = await w.build();
});

describe('validation bundle encoding', () => {
  it('round-trips and carries the parts as given', () => {
    const b = decodeValidationBundle(good.bytes);
    expect(b.fleetKeySet).toEqual(good.fks);
    expect(b.statement).toEqual(good.statement);
    expect(b.witnessSignature).toEqual(good.witnessSignature);
    expect(b.witnessKeyId).toBe(w.wk.current.publicKey[31]);
    expect(b.proof.index).toBe(6n);
    expect(b.proof.checkpoint).toBe(good.checkpoint);
    expect(hexEncode(encodeValidationBundle(b))).toBe(hexEncode(good.bytes));
    expect(validationBundleTlogProof(b)).toBe(good.tlogProof);
  });

  it('uses small integer keys 0 … 7 and one byte string for the proof hashes', () => {
    const m = decodeCbor(good.bytes) as Map<number, unknown>;
    expect([...m.keys()]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect((m.get(7) as Map<number, unknown>).get(1)).toBeInstanceOf(Uint8Array);
  });

  it('refuses to assemble a tlog-proof with extra data, or to encode a bad part', async () => {
    const b = decodeValidationBundle(good.bytes);
    expect(
      codeOf(() =>
        assembleValidationBundle({
          fleetKeySet: good.fks,
          statement: good.statement,
          witnessSignature: good.witnessSignature,
          witnessPublicKey: w.wk.current.publicKey,
          countersignature: good.countersignature,
          operatorKey: { algorithm: 'ed25519', publicKey: new Uint8Array(32) },
          tlogProof: {
            index: 6n,
            proof: b.proof.hashes,
            checkpoint: good.checkpoint,
            extra: Uint8Array.of(1),
          },
        }),
      ),
    ).toBe('BUNDLE_PROOF_EXTRA_UNSUPPORTED');
    const e = errorOf(() => encodeValidationBundle({ ...b, witnessSignature: new Uint8Array(3) }));
    expect(e).toBeInstanceOf(UsageError);
    expect(e.field).toBe('bundle.witnessSignature');
    expect(
      codeOf(() => encodeValidationBundle({ ...b, proof: { ...b.proof, hashes: [new Uint8Array(31)] } })),
    ).toBe('FIELD_LENGTH');
    expect(codeOf(() => encodeValidationBundle({ ...b, fleetKeySet: Uint8Array.of(0) }))).toBe(
      'BUNDLE_FLEET_KEY_SET_MALFORMED',
    );
  });

  it('inspects every part without verifying', () => {
    const i = inspectValidationBundle(good.bytes);
    expect(i.verified).toBe(false);
    expect(i.statement.digestMatches).toBe(true);
    expect(i.fleetKeySet.keys).toHaveLength(5);
    expect(i.proof.checkpoint.signers).toEqual(['witness.example.com/log']);
    expect(i.statement.time).toBe('2025-06-15T12:00:00.000Z');
    expect(JSON.parse(JSON.stringify(i))).toEqual(i);
  });
});

describe('fuzzing the bundle decoder and verifier', () => {
  const outcome = (bytes: Uint8Array): string => {
    try {
      verifyValidationBundle(bytes, w.trust, { now: NOW });
      return 'VERIFIED';
    } catch (e) {
      if (!isCeremonyError(e)) throw e;
      return e.code;
    }
  };

  it('random bytes give a typed error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(outcome(bytes)).toMatch(/^BUNDLE_/);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('mutated bundles give a typed error, and only the untouched bytes verify', () => {
    const edits = fc.array(
      fc.tuple(fc.nat(), fc.nat({ max: 255 }), fc.constantFrom('set', 'xor', 'cut', 'insert', 'delete')),
      { minLength: 1, maxLength: 4 },
    );
    fc.assert(
      fc.property(edits, (list) => {
        let b = Array.from(good.bytes);
        for (const [pos, byte, op] of list) {
          const i = pos % (b.length + 1);
          if (op === 'set') b[i] = byte;
          else if (op === 'xor') b[i] = (b[i] ?? 0) ^ (1 << (byte % 8));
          else if (op === 'cut') b = b.slice(0, i);
          else if (op === 'insert') b.splice(i, 0, byte);
          else b.splice(i, 1);
        }
        const bytes = Uint8Array.from(b);
        const got = outcome(bytes);
        if (got === 'VERIFIED') expect(equalBytes(bytes, good.bytes)).toBe(true);
        else expect(got).toMatch(/^BUNDLE_/);
      }),
      { numRuns: runs(1500) },
    );
  });

  it('structurally valid CBOR of any shape gives a typed error', () => {
    const leaf = fc.oneof(
      fc.integer(),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      fc.string({ maxLength: 20 }),
      fc.uint8Array({ maxLength: 70 }),
      fc.constant(null),
      fc.boolean(),
    );
    const value = fc.letrec<{ v: CborInput }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('v'), { maxLength: 4 }),
        fc
          .uniqueArray(fc.tuple(fc.integer({ min: 0, max: 9 }), tie('v')), {
            maxLength: 9,
            selector: (e) => e[0],
          })
          .map((es) => new Map(es)),
      ),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        expect(outcome(encodeCbor(v))).toMatch(/^BUNDLE_/);
      }),
      { numRuns: runs(800) },
    );
  });
});
