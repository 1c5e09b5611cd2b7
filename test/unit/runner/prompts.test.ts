/**
 * The runner's PIN entry on a terminal: the no-echo reader of ceremony/hsm/pin.ts (raw mode,
 * nothing written for the characters typed, so no mask character gives the PIN's length away);
 * Ctrl-C is RUNNER_CANCELLED. Without a terminal, PINs still come from the script's variables
 * only. The terminal is a pair of PassThrough streams, the input posing as a TTY.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FakeTty } from '../../support/fake-tty.js';
import {
  HIDDEN_ENTRY_HINT,
  clackPrompts,
  resolveSecret,
  unattendedPrompts,
} from '../../../ceremony/runner/prompts.js';

/** Types `keys` (one chunk per character, as a person types) once the prompt has been shown. */
function terminal(keys: string) {
  const input = new FakeTty();
  const output = new PassThrough();
  let shown = '';
  let typed = false;
  output.on('data', (d: Buffer) => {
    shown += d.toString();
    if (typed || !shown.includes(HIDDEN_ENTRY_HINT)) return;
    typed = true;
    setImmediate(() => {
      // One read per keystroke, as a terminal sends them: an arrow key's escape sequence whole.
      // eslint-disable-next-line no-control-regex
      for (const key of keys.match(/\u001b(?:[[O][\x20-\x3f]*[\x40-\x7e])?|[^]/gu) ?? []) input.write(key);
    });
  });
  return { input, output, shown: () => shown };
}

async function enter(keys: string): Promise<{ pin: string; shown: string; rawModes: boolean[] }> {
  const t = terminal(keys);
  const pin = await clackPrompts({ input: t.input, output: t.output }).password('PIN of HSM hsm-1');
  return { pin, shown: t.shown(), rawModes: t.input.rawModes };
}

describe('clackPrompts().password', () => {
  it('reads the PIN in raw mode and writes nothing for what is typed', async () => {
    const short = await enter('1234\r');
    expect(short.pin).toBe('1234');
    expect(short.rawModes).toEqual([true, false]);
    expect(short.shown).toBe(`PIN of HSM hsm-1 ${HIDDEN_ENTRY_HINT}: \n`);
    // A mask (clack's ▪, *, •) would make a longer PIN show more: the screen is the same.
    const long = await enter('correct-horse-battery-9\r');
    expect(long.pin).toBe('correct-horse-battery-9');
    expect(long.shown).toBe(short.shown);
    expect(long.shown).not.toMatch(/[▪*•●]/);
  });

  it('edits with backspace and Ctrl-U and ignores arrow keys', async () => {
    expect((await enter('wrong\u001512x\u007f34\u001b[D\u001bOA5\r')).pin).toBe('12345');
  });

  it('Ctrl-C is RUNNER_CANCELLED, and the message holds nothing typed', async () => {
    const t = terminal('9876\u0003');
    const err = await clackPrompts({ input: t.input, output: t.output })
      .password('PIN of HSM hsm-1')
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'RUNNER_CANCELLED' });
    expect(String((err as Error).message)).not.toContain('9876');
    expect(t.shown()).not.toContain('9876');
  });
});

describe('resolveSecret', () => {
  it('takes the variable first, on a terminal too; unattended without it: RUNNER_PIN_REQUIRED naming it', async () => {
    const t = terminal('typed\r');
    const prompts = clackPrompts({ input: t.input, output: t.output });
    await expect(
      resolveSecret({ env: 'X_PIN', label: 'PIN of HSM hsm-1', prompts, environment: { X_PIN: 'from-env' } }),
    ).resolves.toBe('from-env');
    expect(t.shown()).toBe('');
    await expect(
      resolveSecret({
        env: 'X_PIN',
        label: 'PIN of HSM hsm-1',
        prompts: unattendedPrompts(),
        environment: {},
      }),
    ).rejects.toMatchObject({
      code: 'RUNNER_PIN_REQUIRED',
      message: expect.stringContaining('X_PIN') as string,
    });
  });

  it('without the variable on a terminal: the hidden entry', async () => {
    const t = terminal('0000\r');
    const prompts = clackPrompts({ input: t.input, output: t.output });
    await expect(
      resolveSecret({ env: 'X_PIN', label: 'PIN of HSM hsm-1', prompts, environment: {} }),
    ).resolves.toBe('0000');
    expect(t.shown()).not.toContain('0000');
  });
});
