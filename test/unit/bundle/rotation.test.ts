/**
 * Witness key rotation (Plexi's /info model): keys are judged at the statement's timestamp, so a
 * statement signed by the old key before the rotation keeps verifying after it, and a statement
 * dated outside a key's [not_before, not_after) is refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTrustFile, verifyValidationBundle } from '../../../ceremony/bundle/index.js';
import { fleet, NOW, softwareHsm, T, world } from './fixture.js';
import { codeOf } from './helpers.js';

let w: ReturnType<typeof world>;
beforeAll(() => {
  w = world({ operator: softwareHsm('ed25519'), operatorAlgorithm: 'ed25519' });
});

const verify = (bytes: Uint8Array, trust = w.trust) => verifyValidationBundle(bytes, trust, { now: NOW });
const spring = { validity: { notBefore: T('2025-05-01T00:00:00Z'), notAfter: T('2026-05-01T00:00:00Z') } };

describe('witness key rotation', () => {
  it('a statement signed by the old key before its not_after still verifies after the rotation', async () => {
    const b = await w.build({
      witness: w.wk.old,
      statementTime: T('2025-05-15T00:00:00Z'),
      fleetKeySet: fleet(spring),
    });
    const v = verify(b.bytes);
    expect(v.witnessKey.publicKey).toEqual(w.wk.old.publicKey);
    expect(v.witnessKey.notAfter).toBe(T('2025-06-01T00:00:00Z'));
  });

  it('a statement by the new key verifies from its not_before', async () => {
    const b = await w.build({ statementTime: T('2025-06-01T00:00:00Z') });
    expect(verify(b.bytes).witnessKey.publicKey).toEqual(w.wk.current.publicKey);
  });

  it('a statement dated before the new key’s not_before is refused', async () => {
    const b = await w.build({ statementTime: T('2025-05-31T23:59:59.999Z'), fleetKeySet: fleet(spring) });
    expect(codeOf(() => verify(b.bytes))).toBe('BUNDLE_WITNESS_KEY_NOT_YET_VALID');
  });

  it('a statement by the old key dated at or after its not_after is refused', async () => {
    const b = await w.build({ witness: w.wk.old, statementTime: T('2025-06-01T00:00:00Z') });
    expect(codeOf(() => verify(b.bytes))).toBe('BUNDLE_WITNESS_KEY_EXPIRED');
  });

  it('a trust file that no longer pins the old key refuses its statements', async () => {
    const b = await w.build({
      witness: w.wk.old,
      statementTime: T('2025-05-15T00:00:00Z'),
      fleetKeySet: fleet(spring),
    });
    const json = JSON.parse(w.trustText) as { witness: { statement_keys: unknown[] } };
    json.witness.statement_keys = json.witness.statement_keys.slice(1);
    expect(codeOf(() => verify(b.bytes, parseTrustFile(JSON.stringify(json))))).toBe(
      'BUNDLE_WITNESS_KEY_UNKNOWN',
    );
  });

  it('the old key’s signature on a statement naming the new key’s id is refused', async () => {
    const b = await w.build({ witness: w.wk.old, statementTime: T('2025-06-15T00:00:00Z') });
    // Re-label the old key's signature with the current key's id: the time fits, the key does not.
    const { editCbor } = await import('./helpers.js');
    const relabelled = editCbor(b.bytes, (r) => r.set(4, w.wk.current.publicKey[31]!));
    expect(codeOf(() => verify(relabelled))).toBe('BUNDLE_WITNESS_SIGNATURE_INVALID');
  });
});
