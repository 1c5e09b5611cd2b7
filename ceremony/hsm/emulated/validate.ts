/**
 * Input checks of the emulated HSM. Every failure is a UsageError naming the field; none echoes a
 * PIN.
 */
import { UsageError } from '../../errors.js';

/** Key labels: 1–64 characters, a letter or digit first, then letters, digits, `.`, `_`, `:`, `-`. */
export const LABEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
/** Device serials: 1–32 characters, letters, digits and `-`, a letter or digit first. */
export const SERIAL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/;
/** A new PIN has at least this many characters. */
export const MIN_PIN_LENGTH = 6;
/** PINs longer than this are refused (bounds the work a caller can ask scrypt to do). */
export const MAX_PIN_LENGTH = 256;
/** Attestation challenges: 1 to 256 bytes. */
export const MAX_CHALLENGE_BYTES = 256;

/**
 * Checks a human-readable attribute (vendor name, model, firmware, device label): 1–64 characters,
 * no control characters.
 * @throws UsageError `code` naming `field`.
 */
export function checkText(value: string, field: string, code: string): string {
  const control = (c: string) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f;
  if (typeof value !== 'string' || value.length === 0 || value.length > 64 || [...value].some(control))
    throw new UsageError(code, `${field} must be 1-64 characters without control characters`, { field });
  return value;
}

/** @throws UsageError `HSM_LABEL_INVALID` unless `label` matches {@link LABEL_PATTERN}. */
export function checkLabel(label: string): string {
  if (typeof label !== 'string' || !LABEL_PATTERN.test(label))
    throw new UsageError(
      'HSM_LABEL_INVALID',
      `label ${JSON.stringify(label)} is invalid: 1-64 characters from A-Z a-z 0-9 . _ : -, starting with a letter or digit`,
      { field: 'label' },
    );
  return label;
}

/** @throws UsageError `HSM_SERIAL_INVALID` unless `serial` matches {@link SERIAL_PATTERN}. */
export function checkSerial(serial: string): string {
  if (typeof serial !== 'string' || !SERIAL_PATTERN.test(serial))
    throw new UsageError(
      'HSM_SERIAL_INVALID',
      `serial ${JSON.stringify(serial)} is invalid: 1-32 characters from A-Z a-z 0-9 -, starting with a letter or digit`,
      { field: 'serial' },
    );
  return serial;
}

/**
 * Checks a PIN offered at login (non-empty, at most {@link MAX_PIN_LENGTH}), or, with
 * `isNew`, a PIN being set (at least {@link MIN_PIN_LENGTH} characters).
 * @throws UsageError `HSM_PIN_INVALID` (the message says why, never what the PIN was).
 */
export function checkPin(pin: string, isNew = false): string {
  const min = isNew ? MIN_PIN_LENGTH : 1;
  if (typeof pin !== 'string' || pin.length < min || pin.length > MAX_PIN_LENGTH)
    throw new UsageError('HSM_PIN_INVALID', `the PIN must be ${min}-${MAX_PIN_LENGTH} characters long`, {
      field: 'pin',
    });
  return pin;
}

/** @throws UsageError `HSM_CHALLENGE_INVALID` unless 1 <= challenge.length <= {@link MAX_CHALLENGE_BYTES}. */
export function checkChallenge(challenge: Uint8Array): Uint8Array {
  if (!(challenge instanceof Uint8Array) || challenge.length === 0 || challenge.length > MAX_CHALLENGE_BYTES)
    throw new UsageError('HSM_CHALLENGE_INVALID', `the challenge must be 1-${MAX_CHALLENGE_BYTES} bytes`, {
      field: 'challenge',
    });
  return challenge;
}
