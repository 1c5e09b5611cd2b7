import { describe, it, expect } from 'vitest';
import {
  cborTypeName,
  decodeCbor,
  encodeCbor,
  expectArray,
  expectFields,
  expectMap,
  fieldPath,
  getArray,
  getBool,
  getBytes,
  getField,
  getMap,
  getText,
  getUint,
  getUint64,
} from '../../../ceremony/codec/index.js';
import type { CborInput, CborMap } from '../../../ceremony/codec/index.js';
import { malformed } from './helpers.js';

/** A good fixture, in the shape of a small format record; negative cases change one field. */
const good = {
  version: 1,
  epoch: 2n ** 60n,
  namespace: 'fleet/prod',
  digest: new Uint8Array(32).fill(7),
  keys: [{ id: 3 }],
  active: true,
  meta: new Map<number, CborInput>([[1, 'x']]),
};

function decoded(change: Record<string, CborInput | undefined> = {}): CborMap {
  const obj: Record<string, CborInput> = { ...good };
  for (const [k, v] of Object.entries(change)) {
    if (v === undefined) delete obj[k];
    else obj[k] = v;
  }
  return expectMap(decodeCbor(encodeCbor(obj)), 'set');
}

const spec = {
  required: ['version', 'epoch', 'namespace', 'digest', 'keys', 'active'],
  optional: ['meta', 'note'],
};

describe('reading a good record', () => {
  it('reads every field with its type', () => {
    const m = decoded();
    expectFields(m, 'set', spec);
    expect(getUint(m, 'version', 'set', { min: 1, max: 1 })).toBe(1);
    expect(getUint64(m, 'epoch', 'set')).toBe(2n ** 60n);
    expect(getText(m, 'namespace', 'set', { maxLength: 64, pattern: /[a-z]+\/[a-z]+/ })).toBe('fleet/prod');
    expect(getBytes(m, 'digest', 'set', { length: 32 })).toEqual(new Uint8Array(32).fill(7));
    const keys = getArray(m, 'keys', 'set', { minLength: 1, maxLength: 10 });
    const k0 = expectMap(keys[0]!, 'set.keys[0]');
    expect(getUint(k0, 'id', 'set.keys[0]')).toBe(3);
    expect(getBool(m, 'active', 'set')).toBe(true);
    const meta = getMap(m, 'meta', 'set');
    expect(getText(meta, 1, 'set.meta')).toBe('x');
    expect(getText(meta, 1n, 'set.meta')).toBe('x'); // bigint keys find number keys
    expect(m.has('note')).toBe(false);
  });

  it('getUint64 accepts small values as bigint', () => {
    expect(getUint64(decoded({ epoch: 5 }), 'epoch', 'set')).toBe(5n);
  });
});

describe('each negative case changes one field', () => {
  it('unknown field, naming every one', () => {
    const e = malformed(() => expectFields(decoded({ extra: 1, more: 2 }), 'set', spec), 'FIELD_UNKNOWN');
    expect(e.field).toBe('set.more'); // the first in encoded key order
    expect(e.message).toBe('unknown field(s): set.more, set.extra');
  });
  it('missing required field', () => {
    const m = decoded({ namespace: undefined });
    expect(malformed(() => expectFields(m, 'set', spec), 'FIELD_MISSING').field).toBe('set.namespace');
    expect(malformed(() => getText(m, 'namespace', 'set'), 'FIELD_MISSING').field).toBe('set.namespace');
  });
  it('wrong types name got and want', () => {
    const e = malformed(() => getUint(decoded({ version: '1' }), 'version', 'set'), 'FIELD_TYPE');
    expect(e.message).toBe('set.version: got text string, want unsigned integer');
    malformed(() => getUint(decoded({ version: -1 }), 'version', 'set'), 'FIELD_TYPE');
    malformed(() => getUint64(decoded({ epoch: -(2n ** 60n) }), 'epoch', 'set'), 'FIELD_TYPE');
    malformed(() => getText(decoded({ namespace: new Uint8Array(1) }), 'namespace', 'set'), 'FIELD_TYPE');
    malformed(() => getBytes(decoded({ digest: 'aa' }), 'digest', 'set'), 'FIELD_TYPE');
    malformed(() => getArray(decoded({ keys: new Map() }), 'keys', 'set'), 'FIELD_TYPE');
    malformed(() => getMap(decoded({ meta: [] }), 'meta', 'set'), 'FIELD_TYPE');
    malformed(() => getBool(decoded({ active: 1 }), 'active', 'set'), 'FIELD_TYPE');
    malformed(() => getBool(decoded({ active: null }), 'active', 'set'), 'FIELD_TYPE');
  });
  it('integer ranges', () => {
    malformed(() => getUint(decoded({ version: 2 }), 'version', 'set', { max: 1 }), 'FIELD_RANGE');
    malformed(() => getUint(decoded({ version: 0 }), 'version', 'set', { min: 1 }), 'FIELD_RANGE');
    malformed(() => getUint(decoded(), 'epoch', 'set'), 'FIELD_RANGE'); // 2^60 does not fit a number
    malformed(() => getUint64(decoded(), 'epoch', 'set', { max: 2n ** 60n - 1n }), 'FIELD_RANGE');
    malformed(() => getUint64(decoded(), 'epoch', 'set', { min: 2n ** 60n + 1n }), 'FIELD_RANGE');
  });
  it('lengths', () => {
    const e = malformed(
      () => getBytes(decoded({ digest: new Uint8Array(31) }), 'digest', 'set', { length: 32 }),
      'FIELD_LENGTH',
    );
    expect(e.message).toBe('set.digest: got 31 bytes, want 32');
    malformed(() => getBytes(decoded(), 'digest', 'set', { maxLength: 31 }), 'FIELD_LENGTH');
    malformed(() => getArray(decoded({ keys: [] }), 'keys', 'set', { minLength: 1 }), 'FIELD_LENGTH');
    // text lengths count UTF-8 bytes: 'é' is 2 bytes.
    malformed(
      () => getText(decoded({ namespace: 'éé' }), 'namespace', 'set', { maxLength: 3 }),
      'FIELD_LENGTH',
    );
    expect(getText(decoded({ namespace: 'éé' }), 'namespace', 'set', { maxLength: 4 })).toBe('éé');
  });
  it('patterns must match the whole text, whatever the flags', () => {
    const m = decoded({ namespace: 'fleet/prod!' });
    malformed(() => getText(m, 'namespace', 'set', { pattern: /[a-z]+\/[a-z]+/ }), 'FIELD_PATTERN');
    malformed(() => getText(m, 'namespace', 'set', { pattern: /[a-z/]+/g }), 'FIELD_PATTERN');
    const sticky = /[a-z/!]+/y;
    expect(getText(m, 'namespace', 'set', { pattern: sticky })).toBe('fleet/prod!');
    expect(getText(m, 'namespace', 'set', { pattern: sticky })).toBe('fleet/prod!'); // lastIndex reset
  });
});

describe('paths and names', () => {
  it('fieldPath joins with dots; the root is empty', () => {
    expect(fieldPath('', 'a')).toBe('a');
    expect(fieldPath('a', 'b')).toBe('a.b');
    expect(fieldPath('bundle', 3)).toBe('bundle.3');
  });
  it('cborTypeName covers the model', () => {
    expect(
      [0, -1, 2n ** 64n - 1n, 'x', new Uint8Array(), [], new Map(), true, null].map((v) => cborTypeName(v)),
    ).toEqual([
      'unsigned integer',
      'negative integer',
      'unsigned integer',
      'text string',
      'byte string',
      'array',
      'map',
      'boolean',
      'null',
    ]);
  });
  it('getField and expectArray at the top level', () => {
    expect(getField(decoded(), 'active', 'set')).toBe(true);
    malformed(() => expectArray(decoded(), ''), 'FIELD_TYPE');
  });
});
