/**
 * verifyValidationBundle policy checks on real bundles: namespace, validity window, clock skew,
 * production profile, operator key validity, anti-rollback and equivocation, options.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyValidationBundle } from '../../../ceremony/bundle/index.js';
import type { Trust } from '../../../ceremony/bundle/index.js';
import { utf8Decode, utf8Encode } from '../../../ceremony/codec/index.js';
import { UsageError } from '../../../ceremony/errors.js';
import { emulatedOperator, fleet, NOW, T, world } from './fixture.js';
import { at, codeOf, editCbor, errorOf } from './helpers.js';
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

describe('policy checks', () => {
  it('refuses a namespace that is not pinned, or not the expected one', () => {
    expect(codeOf(() => verify(good.bytes, { ...w.trust, namespaces: ['example.com/other'] }))).toBe(
      'BUNDLE_NAMESPACE_UNEXPECTED',
    );
    expect(codeOf(() => verify(good.bytes, w.trust, { expectedNamespace: 'example.com/other' }))).toBe(
      'BUNDLE_NAMESPACE_UNEXPECTED',
    );
    expect(verify(good.bytes, w.trust, { expectedNamespace: 'example.com/backup-fleet' }).namespace).toBe(
      'example.com/backup-fleet',
    );
  });

  it('checks now against the validity window [notBefore, notAfter)', async () => {
    expect(codeOf(() => verify(good.bytes, w.trust, { now: T('2026-06-01T00:00:00Z') }))).toBe(
      'BUNDLE_EXPIRED',
    );
    expect(verify(good.bytes, w.trust, { now: T('2026-05-31T23:59:59.999Z') }).epoch).toBe(2n);
    const later = await w.build({
      fleetKeySet: fleet({
        validity: { notBefore: T('2025-08-01T00:00:00Z'), notAfter: T('2026-08-01T00:00:00Z') },
      }),
    });
    expect(codeOf(() => verify(later.bytes))).toBe('BUNDLE_NOT_YET_VALID');
    expect(verify(later.bytes, w.trust, { now: T('2025-08-01T00:00:00Z') }).epoch).toBe(2n);
  });

  it('refuses a statement dated after now beyond the clock skew', async () => {
    const early = await w.build({
      fleetKeySet: fleet({
        validity: { notBefore: T('2025-01-01T00:00:00Z'), notAfter: T('2026-01-01T00:00:00Z') },
      }),
    });
    expect(codeOf(() => verify(early.bytes, w.trust, { now: T('2025-06-15T10:59:59Z') }))).toBe(
      'BUNDLE_STATEMENT_IN_FUTURE',
    );
    expect(verify(early.bytes, w.trust, { now: T('2025-06-15T11:00:00Z') }).epoch).toBe(2n);
  });

  it('refuses an emulated HSM under the production profile', async () => {
    const e = errorOf(() => verify(good.bytes, { ...w.trust, profile: 'production' }));
    expect([e.code, e.field]).toEqual([
      'BUNDLE_EMULATED_IN_PRODUCTION',
      'bundle.fleetKeySet.hsms[0].attestationLevel',
    ]);
    const ks = fleet();
    ks.hsms = ks.hsms.map((h) => ({ ...h, attestationLevel: 'hardware-vendor' as const }));
    const hw = await w.build({ fleetKeySet: ks });
    expect(verify(hw.bytes, { ...w.trust, profile: 'production' }).epoch).toBe(2n);
  });

  it('refuses an operator key outside its validity at the statement time', () => {
    const late = {
      ...w.trust,
      operatorKeys: w.trust.operatorKeys.map((k) => ({ ...k, notBefore: T('2025-06-16T00:00:00Z') })),
    };
    expect(codeOf(() => verify(good.bytes, late))).toBe('BUNDLE_OPERATOR_KEY_NOT_VALID');
  });

  it('refuses rollback to a lower epoch and equivocation at the same epoch', () => {
    const digest = verify(good.bytes).digest;
    expect(codeOf(() => verify(good.bytes, w.trust, { lastSeen: { epoch: 3n, digest } }))).toBe(
      'BUNDLE_ROLLBACK',
    );
    expect(
      codeOf(() => verify(good.bytes, w.trust, { lastSeen: { epoch: 2, digest: new Uint8Array(32) } })),
    ).toBe('BUNDLE_EQUIVOCATION');
    expect(verify(good.bytes, w.trust, { lastSeen: { epoch: 2n, digest } }).epoch).toBe(2n);
    expect(verify(good.bytes, w.trust, { lastSeen: { epoch: 1n, digest: new Uint8Array(32) } }).epoch).toBe(
      2n,
    );
  });

  it('refuses invalid options as usage errors', () => {
    for (const o of [
      { now: Number.NaN },
      { now: new Date('x') },
      { now: -1 },
      { maxClockSkewMs: -1 },
      { lastSeen: { epoch: 0, digest: new Uint8Array(32) } },
      { lastSeen: { epoch: 1, digest: new Uint8Array(31) } },
    ]) {
      const e = errorOf(() => verify(good.bytes, w.trust, o));
      expect(e).toBeInstanceOf(UsageError);
      expect(e.code).toBe('BUNDLE_OPTION_INVALID');
    }
  });

  it('keeps a genuine checkpoint text byte for byte (a changed byte anywhere in the note is refused)', () => {
    const t = utf8Encode(good.checkpoint);
    for (let i = 0; i < t.length; i += 7) {
      const changed = Uint8Array.from(t, (x, j) => (j === i ? (x === 0x41 ? 0x42 : 0x41) : x));
      let s: string;
      try {
        s = utf8Decode(changed);
      } catch {
        continue;
      }
      if (s === good.checkpoint) continue;
      const e = errorOf(() => verify(edit((r) => at(r, 7).set(2, s))));
      expect(e.code).toMatch(/^BUNDLE_CHECKPOINT_/);
    }
  });
});
