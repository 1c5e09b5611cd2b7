/**
 * The PIN retry counter of an emulated HSM (docs/hsm.md, "PIN retry counter").
 *
 * `pin-counter.json` holds the number of consecutive wrong PINs and an HMAC-SHA256 over
 * (domain, serial, count) under `counter.key`, a random 32-byte per-device key that is NOT derived
 * from the PIN (the counter must be checked before the PIN is known to be right).
 *
 * What this protects against, honestly: accidental corruption and naive edits (`failures: 0`, a
 * counter copied from another device, a deleted counter file — all of which make the device fail
 * closed with `HSM_STATE_TAMPERED`). What it cannot protect against: someone who can read and write
 * the state directory can recompute the MAC or restore an older counter — and could equally copy
 * `keystore.bin` and guess PINs offline against scrypt. Only real hardware stops that.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { MalformedError, UsageError } from '../../errors.js';
import { writeFileAtomic, writeFileExclusive } from '../../io/index.js';
import { readStateFile } from './files.js';

/** Consecutive wrong PINs after which the device locks for good. */
export const MAX_PIN_ATTEMPTS = 10;
/** The counter file in the state directory. */
export const COUNTER_FILE = 'pin-counter.json';
/** The counter's HMAC key file in the state directory. */
export const COUNTER_KEY_FILE = 'counter.key';
const FORMAT = 'fleet-ceremony/emulated-hsm-pin-counter/v1';

function mac(key: Uint8Array, serial: string, failures: number): string {
  return createHmac('sha256', key).update(`${FORMAT}\n${serial}\n${failures}`).digest('hex');
}

function tampered(dir: string, reason: string, file: string): UsageError {
  return new UsageError(
    'HSM_STATE_TAMPERED',
    `the PIN retry counter ${reason}; the device fails closed (re-enrol it, or restore the state directory from a trusted copy)`,
    { file },
  );
}

function readKey(dir: string): Buffer {
  const file = join(dir, COUNTER_KEY_FILE);
  try {
    const key = readStateFile(file, 64, 'HSM_STATE_TAMPERED');
    if (key.length !== 32) throw tampered(dir, 'key has the wrong length', file);
    return key;
  } catch (e) {
    if (e instanceof UsageError && e.code === 'HSM_STATE_TAMPERED')
      throw tampered(dir, 'key is missing or invalid', file);
    throw e;
  }
}

/** Creates the counter key (exclusively) and a zero counter. Used once, at enrolment. */
export function initCounter(dir: string, serial: string): void {
  const key = randomBytes(32);
  writeFileExclusive(join(dir, COUNTER_KEY_FILE), key, 0o600);
  key.fill(0);
  writeFailures(dir, serial, 0);
}

/**
 * Persists the number of consecutive wrong PINs (atomically, fsync'ed).
 * Precondition: 0 <= failures <= MAX_PIN_ATTEMPTS.
 */
export function writeFailures(dir: string, serial: string, failures: number): void {
  const key = readKey(dir);
  try {
    const json = { format: FORMAT, serial, failures, mac: mac(key, serial, failures) };
    writeFileAtomic(join(dir, COUNTER_FILE), JSON.stringify(json) + '\n', 0o600);
  } finally {
    key.fill(0);
  }
}

/**
 * Reads and authenticates the counter.
 * @returns the number of consecutive wrong PINs so far (0..MAX_PIN_ATTEMPTS).
 * @throws UsageError `HSM_STATE_TAMPERED` when the counter or its key is missing, belongs to another
 *   device, or its MAC does not verify; MalformedError `HSM_STATE_MALFORMED` for unreadable JSON.
 */
export function readFailures(dir: string, serial: string): number {
  const file = join(dir, COUNTER_FILE);
  let text: string;
  try {
    text = readStateFile(file, 4096, 'HSM_STATE_TAMPERED').toString('utf8');
  } catch (e) {
    if (e instanceof UsageError && e.code === 'HSM_STATE_TAMPERED') throw tampered(dir, 'is missing', file);
    throw e;
  }
  let j: { format?: unknown; serial?: unknown; failures?: unknown; mac?: unknown };
  try {
    j = JSON.parse(text) as typeof j;
  } catch (e) {
    throw new MalformedError('HSM_STATE_MALFORMED', 'PIN retry counter is not valid JSON', {
      file,
      cause: e,
    });
  }
  const { failures } = j;
  if (
    j.format !== FORMAT ||
    typeof failures !== 'number' ||
    !Number.isInteger(failures) ||
    failures < 0 ||
    failures > MAX_PIN_ATTEMPTS ||
    typeof j.mac !== 'string'
  )
    throw tampered(dir, 'has invalid fields', file);
  if (j.serial !== serial) throw tampered(dir, 'belongs to another device', file);
  const key = readKey(dir);
  try {
    const want = Buffer.from(mac(key, serial, failures), 'hex');
    const got = Buffer.from(j.mac, 'hex');
    if (got.length !== want.length || !timingSafeEqual(got, want))
      throw tampered(dir, 'fails its integrity check', file);
  } finally {
    key.fill(0);
  }
  return failures;
}
