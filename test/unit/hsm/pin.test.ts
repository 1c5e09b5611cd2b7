/**
 * PIN entry: from the environment variable, or a hidden prompt on a terminal (a PassThrough stream
 * posing as a TTY records raw-mode switching); never echoed; a clear error naming the variable
 * when there is neither.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FakeTty } from '../../support/fake-tty.js';
import { DEFAULT_PIN_ENV, resolvePin } from '../../../ceremony/hsm/pin.js';

/** A terminal on which a person types one answer (a string, or chunks) after each prompt. */
function terminal(...answers: (string | string[])[]) {
  const input = new FakeTty();
  const output = new PassThrough();
  let shown = '';
  let next = 0;
  output.on('data', (d: Buffer) => {
    shown += d.toString();
    if (!d.toString().endsWith(': ') || next >= answers.length) return;
    const answer = answers[next++]!;
    setImmediate(() => {
      for (const chunk of typeof answer === 'string' ? [answer] : answer) input.write(chunk);
    });
  });
  return { input, output, shown: () => shown };
}

describe('resolvePin', () => {
  it('reads the environment variable first', async () => {
    const t = terminal('typed\r');
    await expect(
      resolvePin({
        env: 'X_PIN',
        label: 'PIN',
        environment: { X_PIN: 'from-env' },
        input: t.input,
        output: t.output,
      }),
    ).resolves.toBe('from-env');
    expect(t.shown()).toBe('');
    expect(DEFAULT_PIN_ENV).toBe('FLEET_HSM_PIN');
  });

  it('refuses an empty variable, naming it', async () => {
    await expect(
      resolvePin({ env: 'X_PIN', label: 'PIN', environment: { X_PIN: '' } }),
    ).rejects.toMatchObject({
      code: 'HSM_PIN_REQUIRED',
      message: expect.stringContaining('X_PIN'),
    });
  });

  it('without a variable or a terminal: HSM_PIN_REQUIRED naming the variable to set', async () => {
    const input = new PassThrough();
    await expect(
      resolvePin({ env: 'X_PIN', label: 'PIN of device 1', environment: {}, input: input as never }),
    ).rejects.toMatchObject({
      name: 'UsageError',
      code: 'HSM_PIN_REQUIRED',
      message: expect.stringContaining('X_PIN'),
    });
  });

  it('prompts on a terminal in raw mode and echoes nothing of the PIN', async () => {
    const t = terminal(['s3cr', 'et-pin\r']);
    const pin = await resolvePin({ env: 'X_PIN', label: 'PIN of device 1', environment: {}, ...t });
    expect(pin).toBe('s3cret-pin');
    expect(t.shown()).toBe('PIN of device 1: \n');
    expect(t.input.rawModes).toEqual([true, false]);
  });

  it('skips the escape sequences of arrow and function keys, and nothing a person types after a lone ESC', async () => {
    const keys = terminal(['12', '\u001b[A', '\u001b[15~', '\u001bOP', '34\r']);
    expect(await resolvePin({ label: 'PIN', environment: {}, ...keys })).toBe('1234');
    const lone = terminal(['\u001b', '1', '2', '3', '4', '\r']);
    expect(await resolvePin({ label: 'PIN', environment: {}, ...lone })).toBe('1234');
  });

  it('ends or aborts on Enter, Ctrl-C and Ctrl-D even inside an escape sequence', async () => {
    const enter = terminal(['56', '\u001b[12\r']);
    expect(await resolvePin({ label: 'PIN', environment: {}, ...enter })).toBe('56');
    for (const key of ['\u0003', '\u0004']) {
      const t = terminal(['12', `\u001b[1${key}`]);
      await expect(resolvePin({ label: 'PIN', environment: {}, ...t })).rejects.toMatchObject({
        code: 'HSM_PIN_ABORTED',
      });
    }
  });

  it('honours backspace and multi-byte characters', async () => {
    const t = terminal('ab\u007fcé€\r');
    expect(await resolvePin({ label: 'PIN', environment: {}, ...t })).toBe('acé€');
  });

  it('confirms a new PIN and refuses a mismatch', async () => {
    const ok = terminal('new-pin-1\r', 'new-pin-1\r');
    expect(await resolvePin({ label: 'new PIN', confirm: true, environment: {}, ...ok })).toBe('new-pin-1');
    const bad = terminal('new-pin-1\r', 'new-pin-2\r');
    await expect(
      resolvePin({ label: 'new PIN', confirm: true, environment: {}, ...bad }),
    ).rejects.toMatchObject({
      code: 'HSM_PIN_MISMATCH',
    });
    expect(bad.shown()).not.toContain('new-pin');
  });

  it('aborts on Ctrl-C and restores the terminal', async () => {
    const t = terminal('abc\u0003');
    await expect(resolvePin({ label: 'PIN', environment: {}, ...t })).rejects.toMatchObject({
      code: 'HSM_PIN_ABORTED',
    });
    expect(t.input.rawModes).toEqual([true, false]);
  });

  it('does not prompt when told not to', async () => {
    const t = terminal('typed\r');
    await expect(resolvePin({ label: 'PIN', prompt: false, environment: {}, ...t })).rejects.toMatchObject({
      code: 'HSM_PIN_REQUIRED',
    });
  });
});
