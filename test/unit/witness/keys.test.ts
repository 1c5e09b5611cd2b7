/**
 * Witness keys as files (ceremony/witness/keys): keygen creates them 0600 and exclusively, loading
 * refuses a readable or swapped key, rotation keeps notBefore increasing and key ids distinct, and
 * the key in force follows not_before.
 */
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readWitnessConfig } from '../../../ceremony/witness/config/store.js';
import { witnessKeygen } from '../../../ceremony/witness/keys/keygen.js';
import { rotateStatementKey } from '../../../ceremony/witness/keys/rotate.js';
import { selectStatementKey } from '../../../ceremony/witness/keys/select.js';
import { loadWitnessKeys } from '../../../ceremony/witness/keys/signers.js';
import { statementKeyId } from '../../../ceremony/statement/index.js';
import { tempDir } from './fixtures.js';

const dirs: { cleanup: () => void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));
function fresh() {
  const t = tempDir();
  dirs.push(t);
  return t.dir;
}

describe('witness keys', () => {
  it('keygen writes three keys with mode 0600 in a 0700 directory, and never twice', async () => {
    const dir = fresh();
    await witnessKeygen({ dir, origin: 'w.test/log' });
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
    for (const f of ['statement-1.key', 'log.key', 'cosigner.key'])
      expect(statSync(join(dir, 'keys', f)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'keys/log.key'), 'utf8')).toMatch(/^PRIVATE\+KEY\+w\.test\/log\+/);
    await expect(witnessKeygen({ dir, origin: 'w.test/log' })).rejects.toMatchObject({
      code: 'WITNESS_OUTPUT_EXISTS',
    });
  });

  it('keygen refuses an existing key file before generating anything', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'keys'), { recursive: true });
    writeFileSync(join(dir, 'keys/log.key'), 'old\n');
    await expect(witnessKeygen({ dir, origin: 'w.test/log' })).rejects.toMatchObject({
      code: 'WITNESS_OUTPUT_EXISTS',
    });
    expect(readdirSync(join(dir, 'keys'))).toEqual(['log.key']);
    expect(readFileSync(join(dir, 'keys/log.key'), 'utf8')).toBe('old\n');
  });

  it('keygen refuses an origin that is not a key name, and a cosigner named as the origin', async () => {
    await expect(witnessKeygen({ dir: fresh(), origin: 'has space' })).rejects.toMatchObject({
      code: 'WITNESS_CONFIG_INVALID',
    });
    await expect(witnessKeygen({ dir: fresh(), origin: 'a', cosignerName: 'a' })).rejects.toMatchObject({
      code: 'WITNESS_CONFIG_INVALID',
    });
  });

  it('loading self-tests every key; a key file readable by others is refused', async () => {
    const dir = fresh();
    await witnessKeygen({ dir, origin: 'w.test/log' });
    const keys = await loadWitnessKeys(dir, readWitnessConfig(dir));
    expect(keys.statement).toHaveLength(1);
    chmodSync(join(dir, 'keys/log.key'), 0o644);
    await expect(loadWitnessKeys(dir, readWitnessConfig(dir))).rejects.toMatchObject({
      code: 'WITNESS_KEY_INVALID',
    });
  });

  it('a swapped statement key file is caught by the self-test (WITNESS_KEY_MISMATCH)', async () => {
    const a = fresh();
    const b = fresh();
    await witnessKeygen({ dir: a, origin: 'w.test/log' });
    await witnessKeygen({ dir: b, origin: 'w.test/log' });
    copyFileSync(join(b, 'keys/statement-1.key'), join(a, 'keys/statement-1.key'));
    await expect(loadWitnessKeys(a, readWitnessConfig(a))).rejects.toMatchObject({
      code: 'WITNESS_KEY_MISMATCH',
    });
  });

  it('rotation appends a key with a later notBefore and a distinct key id; the past is refused', async () => {
    const dir = fresh();
    let now = 1_000_000;
    await witnessKeygen({ dir, origin: 'w.test/log', now: () => now });
    now = 2_000_000;
    await expect(rotateStatementKey({ dir, now: () => now, notBefore: 1_999_999 })).rejects.toMatchObject({
      code: 'WITNESS_KEY_ROTATION_INVALID',
    });
    const r = await rotateStatementKey({ dir, now: () => now, notBefore: 3_000_000 });
    await expect(rotateStatementKey({ dir, now: () => now, notBefore: 3_000_000 })).rejects.toMatchObject({
      code: 'WITNESS_KEY_ROTATION_INVALID',
    });
    const c = readWitnessConfig(dir);
    expect(c.statementKeys.map((k) => k.notBefore)).toEqual([1_000_000, 3_000_000]);
    expect(statementKeyId(c.statementKeys[1]!.publicKey)).toBe(r.keyId);
    expect(r.keyId).not.toBe(statementKeyId(c.statementKeys[0]!.publicKey));
    expect(statSync(join(dir, 'keys/statement-2.key')).mode & 0o777).toBe(0o600);
    const keys = await loadWitnessKeys(dir, c);
    expect(keys.statement.map((k) => k.keyId)).toEqual(
      c.statementKeys.map((k) => statementKeyId(k.publicKey)),
    );
  });
});

describe('selectStatementKey', () => {
  const k = (notBefore: number) => ({ publicKey: new Uint8Array(32), notBefore });
  const keys = [k(100), k(300), k(200)];
  it('picks the key with the greatest notBefore at or before the time', () => {
    expect(selectStatementKey(keys, 99)).toBeUndefined();
    expect(selectStatementKey(keys, 100)).toBe(keys[0]);
    expect(selectStatementKey(keys, 250)).toBe(keys[2]);
    expect(selectStatementKey(keys, 300n)).toBe(keys[1]);
    expect(selectStatementKey(keys, 10_000)).toBe(keys[1]);
  });
});
