/**
 * Strict decoding: a good statement round-trips; each malformed variant (one change to a good
 * fixture) is refused as ATTEST_MALFORMED with a reason naming the field, and no mutation of a
 * good statement ever verifies.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodePkcs11AttributesStatement,
  encodePkcs11AttributesBody,
  encodePkcs11AttributesStatement,
  pkcs11AttributesFormat,
} from '../../../../ceremony/attest/pkcs11-attributes/index.js';
import { decodeCbor, encodeCbor } from '../../../../ceremony/codec/index.js';
import type { CborMap, CborValue } from '../../../../ceremony/codec/index.js';
import type { KeyAttestation } from '../../../../ceremony/attest/types.js';
import { OPTIONS, fixture } from './fixture.js';

const good = fixture('ed25519');

/** Decodes the statement, lets `edit` change the outer and body maps, re-encodes both. */
function edited(edit: (outer: CborMap, body: CborMap) => void): Uint8Array {
  const outer = decodeCbor(good.evidence.statement) as CborMap;
  const body = decodeCbor(outer.get('body') as Uint8Array) as CborMap;
  edit(outer, body);
  if (outer.get('body') instanceof Uint8Array) outer.set('body', encodeCbor(body));
  return encodeCbor(outer);
}

const sub = (m: CborMap, ...path: string[]): CborMap => path.reduce((x, k) => x.get(k) as CborMap, m);

async function malformed(statement: Uint8Array, field: RegExp): Promise<void> {
  expect(() => decodePkcs11AttributesStatement(statement)).toThrow();
  const r = await pkcs11AttributesFormat.verify({ ...good.evidence, statement }, OPTIONS);
  expect(r.ok).toBe(false);
  expect(r.failures).toHaveLength(1);
  expect(r.failures[0]?.code).toBe('ATTEST_MALFORMED');
  expect(r.failures[0]?.reason).toMatch(field);
  expect(r).toMatchObject({
    level: 'pkcs11-attributes',
    vendor: '',
    serial: '',
    origin: 'unknown',
    exportable: undefined,
    verificationTimeSource: 'now',
  });
  expect(r.publicKey).toBeUndefined();
}

describe('decodePkcs11AttributesStatement', () => {
  it('round-trips a good statement', () => {
    const d = decodePkcs11AttributesStatement(good.evidence.statement);
    expect(d.body).toEqual(good.body);
    expect(d.bodyBytes).toEqual(encodePkcs11AttributesBody(good.body));
    expect(d.signature?.length).toBe(64);
  });

  it.each<[string, () => Uint8Array, RegExp]>([
    ['empty input', () => new Uint8Array(0), /statement/],
    ['a trailing byte', () => Uint8Array.from([...good.evidence.statement, 0]), /statement/],
    ['an oversize statement', () => encodeCbor({ body: new Uint8Array(9000), signature: null }), /statement/],
    [
      'the outer map in non-deterministic key order',
      () => {
        const d = decodePkcs11AttributesStatement(good.evidence.statement);
        const canonical = encodePkcs11AttributesStatement(d.bodyBytes, d.signature);
        const sigItem = encodeCbor({ signature: d.signature }).subarray(1);
        const bodyItem = canonical.subarray(1, canonical.length - sigItem.length);
        return Uint8Array.from([0xa2, ...sigItem, ...bodyItem]);
      },
      /statement/,
    ],
    ['an unknown outer field', () => edited((o) => o.set('note', 'x')), /statement\.note/],
    [
      'the body as a map, not bytes',
      () => edited((o, b) => o.set('body', b)),
      /statement: .*nesting deeper than 1/,
    ],
    [
      'a 63-byte signature',
      () => edited((o) => o.set('signature', new Uint8Array(63))),
      /statement\.signature/,
    ],
    ['an unknown body field', () => edited((_, b) => b.set('extra', 1)), /statement\.body\.extra/],
    [
      'another format version',
      () => edited((_, b) => b.set('format', 'pkcs11-attributes/v2')),
      /statement\.body\.format/,
    ],
    ['a text time', () => edited((_, b) => b.set('time', '2026-01-01')), /statement\.body\.time/],
    ['an unknown pop kind', () => edited((_, b) => b.set('pop', 'hmac')), /statement\.body\.pop/],
    [
      'an oversize challenge',
      () => edited((_, b) => b.set('challenge', new Uint8Array(1025))),
      /statement\.body\.challenge/,
    ],
    [
      'a missing token serial',
      () => edited((_, b) => sub(b, 'token').delete('serial')),
      /statement\.body\.token\.serial/,
    ],
    [
      'a 17-byte serial',
      () => edited((_, b) => sub(b, 'token').set('serial', 'x'.repeat(17))),
      /token\.serial/,
    ],
    [
      'a bad firmware version',
      () => edited((_, b) => sub(b, 'token').set('firmwareVersion', 'v2')),
      /firmwareVersion/,
    ],
    ['an unknown algorithm', () => edited((_, b) => sub(b, 'key').set('algorithm', 'rsa')), /key\.algorithm/],
    [
      'a P-256-length Ed25519 key',
      () => edited((_, b) => sub(b, 'key').set('publicKey', new Uint8Array(65))),
      /key\.publicKey/,
    ],
    ['an empty key label', () => edited((_, b) => sub(b, 'key').set('label', '')), /key\.label/],
    [
      'an integer attribute',
      () => edited((_, b) => sub(b, 'key', 'attributes').set('CKA_LOCAL', 1)),
      /CKA_LOCAL/,
    ],
    [
      'a missing attribute',
      () => edited((_, b) => sub(b, 'key', 'attributes').delete('CKA_DERIVE')),
      /attributes\.CKA_DERIVE/,
    ],
    [
      'an extra attribute',
      () => edited((_, b) => sub(b, 'key', 'attributes').set('CKA_MODIFIABLE', false as CborValue)),
      /CKA_MODIFIABLE/,
    ],
  ])('refuses %s as ATTEST_MALFORMED naming the field', async (_what, make, field) => {
    await malformed(make(), field);
  });
});

describe('mutations of a good statement', () => {
  const evidence: KeyAttestation = good.evidence;
  it('never verify: any one byte changed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: evidence.statement.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (i, x) => {
          const s = evidence.statement.slice();
          s[i] = (s[i] ?? 0) ^ x;
          const r = await pkcs11AttributesFormat.verify({ ...evidence, statement: s }, OPTIONS);
          return !r.ok && r.failures.length > 0;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never verify: truncated or extended', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: evidence.statement.length - 1 }),
        fc.uint8Array({ maxLength: 4 }),
        async (n, tail) => {
          const s = Uint8Array.from([...evidence.statement.subarray(0, n), ...tail]);
          const r = await pkcs11AttributesFormat.verify({ ...evidence, statement: s }, OPTIONS);
          return !r.ok;
        },
      ),
      { numRuns: 200 },
    );
  });
});
