/**
 * The state rules of the signing policy (ceremony/witness/policy/state-checks.ts), one rule per
 * case, each changing one thing in a submission that passes.
 */
import { describe, expect, it } from 'vitest';
import type { FleetKeySet } from '../../../ceremony/bundle/index.js';
import type { NamespaceConfig } from '../../../ceremony/witness/config/types.js';
import { checkAgainstState } from '../../../ceremony/witness/policy/state-checks.js';
import type { StatementRecord } from '../../../ceremony/witness/state/statements.js';

const d = (b: number) => new Uint8Array(32).fill(b);
const ns = (root: NamespaceConfig['root'] = 'genesis'): NamespaceConfig => ({
  name: 'ns',
  root,
  profile: 'rehearsal',
  online: true,
  vendorRoots: [],
  operators: [],
});
const ks = (epoch: bigint, previousDigest: Uint8Array | null) =>
  ({ namespace: 'ns', epoch, previousDigest }) as FleetKeySet;
const rec = (epoch: bigint, digest: Uint8Array, namespace = 'ns') =>
  ({ namespace, epoch, digest }) as StatementRecord;

function code(f: () => void): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as { code: string; status: number }).code + ' ' + (e as { status: number }).status;
  }
}

describe('checkAgainstState', () => {
  it('accepts the genesis epoch 1 with no previous digest', () => {
    expect(
      code(() => checkAgainstState(ns(), ks(1n, null), d(1), { last: undefined, sameDigest: undefined })),
    ).toBeUndefined();
  });
  it('genesis: epoch 2 first is a skip', () => {
    expect(
      code(() => checkAgainstState(ns(), ks(2n, null), d(1), { last: undefined, sameDigest: undefined })),
    ).toBe('EPOCH_SKIPPED 409');
  });
  it('genesis: a previous digest on epoch 1 is refused', () => {
    expect(
      code(() => checkAgainstState(ns(), ks(1n, d(9)), d(1), { last: undefined, sameDigest: undefined })),
    ).toBe('PREVIOUS_DIGEST_MISMATCH 409');
  });
  it('registered root: the first epoch must be it', () => {
    const root = { epoch: 4n, digest: d(4) };
    expect(
      code(() => checkAgainstState(ns(root), ks(4n, d(3)), d(4), { last: undefined, sameDigest: undefined })),
    ).toBeUndefined();
    expect(
      code(() => checkAgainstState(ns(root), ks(4n, d(3)), d(5), { last: undefined, sameDigest: undefined })),
    ).toBe('ROOT_MISMATCH 409');
    expect(
      code(() => checkAgainstState(ns(root), ks(5n, d(3)), d(4), { last: undefined, sameDigest: undefined })),
    ).toBe('ROOT_MISMATCH 409');
  });
  it('next epoch chained to the last one is accepted', () => {
    expect(
      code(() => checkAgainstState(ns(), ks(3n, d(2)), d(3), { last: rec(2n, d(2)), sameDigest: undefined })),
    ).toBeUndefined();
  });
  it('an epoch already signed is refused (replay)', () => {
    expect(
      code(() => checkAgainstState(ns(), ks(2n, d(1)), d(3), { last: rec(2n, d(2)), sameDigest: undefined })),
    ).toBe('EPOCH_ALREADY_SIGNED 409');
  });
  it('an epoch beyond the next is refused (skip)', () => {
    expect(
      code(() => checkAgainstState(ns(), ks(4n, d(2)), d(3), { last: rec(2n, d(2)), sameDigest: undefined })),
    ).toBe('EPOCH_SKIPPED 409');
  });
  it('a previous digest other than the last signed one is refused', () => {
    expect(
      code(() => checkAgainstState(ns(), ks(3n, d(7)), d(3), { last: rec(2n, d(2)), sameDigest: undefined })),
    ).toBe('PREVIOUS_DIGEST_MISMATCH 409');
    expect(
      code(() => checkAgainstState(ns(), ks(3n, null), d(3), { last: rec(2n, d(2)), sameDigest: undefined })),
    ).toBe('PREVIOUS_DIGEST_MISMATCH 409');
  });
  it('a digest signed before (in any namespace) is refused first, whatever the epoch', () => {
    expect(
      code(() =>
        checkAgainstState(ns(), ks(3n, d(2)), d(3), {
          last: rec(2n, d(2)),
          sameDigest: rec(1n, d(3), 'other'),
        }),
      ),
    ).toBe('DIGEST_ALREADY_SIGNED 409');
  });
});
