/**
 * Recovery on open refuses a store that disagrees with what the log published or with its own
 * identity. Each case starts from a good store and changes one thing by hand (dropping the
 * append-only triggers first, as an intruder would).
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  generateSignerKey,
  parseSignerKey,
  parseVerifierKey,
  storedHashIndex,
} from '../../../../ceremony/tlog/index.js';
import { WitnessLog } from '../../../../ceremony/witness/log/index.js';
import { entryBytes, logFixture, ORIGIN } from './fixture.js';
import type { LogFixture } from './fixture.js';

let fx: LogFixture;
beforeEach(() => {
  fx = logFixture();
  const log = fx.open();
  for (let i = 0; i < 300; i += 50) log.appendSync(Array.from({ length: 50 }, (_, k) => entryBytes(i + k)));
  log.checkpoint();
  log.appendSync([entryBytes(300), entryBytes(301)]);
  log.close();
});
afterEach(() => fx.cleanup());

/** Runs `sql` on the store with the append-only triggers dropped. */
function tamper(...sql: string[]): void {
  const db = new Database(fx.dbPath);
  const triggers = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    .pluck()
    .all() as string[];
  for (const t of triggers) db.exec(`DROP TRIGGER ${t}`);
  for (const s of sql) db.exec(s);
  db.close();
}

const codeOf = (f: () => unknown): string => {
  try {
    (f() as WitnessLog).close();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'opened';
};

describe('WitnessLog recovery', () => {
  it('opens a good store in both modes', () => {
    expect(codeOf(() => fx.open())).toBe('opened');
    expect(codeOf(() => fx.open({ recovery: 'full' }))).toBe('opened');
  });

  it('refuses a stored hash under the checkpoint that was changed', () => {
    // The root of size 300 is folded from the subtrees of 256, 32, 8 and 4 entries.
    tamper(`UPDATE hashes SET hash = zeroblob(32) WHERE idx = ${storedHashIndex(8, 0)}`);
    expect(codeOf(() => fx.open())).toBe('LOG_STORE_ROOT_MISMATCH');
  });

  it('refuses a changed leaf hash under the checkpoint in full mode', () => {
    tamper('UPDATE hashes SET hash = zeroblob(32) WHERE idx = 0');
    expect(codeOf(() => fx.open({ recovery: 'full' }))).toBe('LOG_STORE_CORRUPT');
  });

  it('refuses a checkpoint whose root was changed', () => {
    tamper('UPDATE checkpoints SET root = zeroblob(32)');
    expect(codeOf(() => fx.open())).toBe('LOG_STORE_ROOT_MISMATCH');
  });

  it('refuses a checkpoint note that is not the one this log signs', () => {
    tamper("UPDATE checkpoints SET note = replace(note, '— ', '— x')");
    expect(codeOf(() => fx.open())).toBe('LOG_STORE_CHECKPOINT_INVALID');
  });

  it('refuses a last entry whose bytes changed (quick) and any changed entry (full)', () => {
    tamper("UPDATE entries SET data = X'00' WHERE idx = 301");
    expect(codeOf(() => fx.open())).toBe('LOG_STORE_CORRUPT');
  });

  it('refuses a changed entry in the middle only in full mode', () => {
    tamper("UPDATE entries SET data = X'00' WHERE idx = 17");
    expect(codeOf(() => fx.open())).toBe('opened');
    expect(codeOf(() => fx.open({ recovery: 'full' }))).toBe('LOG_STORE_CORRUPT');
  });

  it('refuses a changed interior stored hash past the checkpoint in full mode', () => {
    // The last stored hash completes the subtree of entries 300..301: not under the checkpoint.
    tamper('UPDATE hashes SET hash = zeroblob(32) WHERE idx = (SELECT MAX(idx) FROM hashes)');
    expect(codeOf(() => fx.open({ recovery: 'full' }))).toBe('LOG_STORE_CORRUPT');
  });

  it('refuses a store that lost rows (restored from an old backup)', () => {
    tamper('DELETE FROM hashes WHERE idx = (SELECT MAX(idx) FROM hashes)');
    expect(codeOf(() => fx.open())).toBe('LOG_STORE_CORRUPT');
  });

  it('refuses a store whose entries end before its latest checkpoint', () => {
    tamper('DELETE FROM entries WHERE idx >= 200', 'DELETE FROM hashes WHERE idx >= 398');
    expect(codeOf(() => fx.open())).toMatch(/^LOG_STORE_(CORRUPT|ROOT_MISMATCH)$/);
  });

  it('with the verifier key, checks stored notes without signing, and refuses a wrong verifier', () => {
    const signer = fx.signer();
    let signed = 0;
    const counting = { ...signer, sign: (m: Uint8Array) => (signed++, signer.sign(m)) };
    expect(codeOf(() => fx.open({ signer: counting, verifier: fx.verifier }))).toBe('opened');
    expect(signed).toBe(0);
    expect(codeOf(() => fx.open({ signer: counting, verifier: fx.verifier, recovery: 'full' }))).toBe(
      'opened',
    );
    expect(signed).toBe(0);
    const other = parseVerifierKey(generateSignerKey(ORIGIN).verifierKey);
    expect(codeOf(() => fx.open({ verifier: other }))).toBe('LOG_SIGNER_KEY_MISMATCH');
    tamper("UPDATE checkpoints SET note = replace(note, '— ', '— x')");
    expect(codeOf(() => fx.open({ verifier: fx.verifier }))).toBe('LOG_STORE_CHECKPOINT_INVALID');
  });

  it('refuses another origin, another key, and a signer not named after the origin', () => {
    const other = generateSignerKey(ORIGIN);
    expect(codeOf(() => fx.open({ signer: parseSignerKey(other.signerKey) }))).toBe(
      'LOG_SIGNER_KEY_MISMATCH',
    );
    const renamed = generateSignerKey('other.example/log');
    expect(
      codeOf(() =>
        WitnessLog.open({
          storagePath: fx.dbPath,
          origin: 'other.example/log',
          signer: parseSignerKey(renamed.signerKey),
        }),
      ),
    ).toBe('LOG_ORIGIN_MISMATCH');
    expect(
      codeOf(() => WitnessLog.open({ storagePath: fx.dbPath, origin: 'x.example/log', signer: fx.signer() })),
    ).toBe('LOG_SIGNER_NAME_MISMATCH');
  });
});
