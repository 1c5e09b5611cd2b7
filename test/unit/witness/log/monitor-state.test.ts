/**
 * The monitor state file: written atomically and read back; strict about its format; bound to
 * one log origin.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MONITOR_STATE_FORMAT,
  readMonitorState,
  writeMonitorState,
} from '../../../../ceremony/witness/log/index.js';
import { logFixture, ORIGIN } from './fixture.js';
import type { LogFixture } from './fixture.js';

let fx: LogFixture;
let file: string;
beforeEach(() => {
  fx = logFixture();
  file = join(fx.dir, 'state.json');
});
afterEach(() => fx.cleanup());

describe('monitor state', () => {
  it('is absent on a first run, then round-trips', () => {
    expect(readMonitorState(file, ORIGIN)).toBeUndefined();
    const s = writeMonitorState(file, ORIGIN, 'note\n', new Date('2030-01-02T03:04:05Z'));
    expect(readMonitorState(file, ORIGIN)).toEqual(s);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      format: MONITOR_STATE_FORMAT,
      origin: ORIGIN,
      checkpoint: 'note\n',
      updated: '2030-01-02T03:04:05.000Z',
    });
    writeMonitorState(file, ORIGIN, 'newer\n');
    expect(readMonitorState(file, ORIGIN)?.checkpoint).toBe('newer\n');
    expect(readdirSync(fx.dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('belongs to one log', () => {
    writeMonitorState(file, ORIGIN, 'note\n');
    expect(() => readMonitorState(file, 'other.example/log')).toThrow(
      expect.objectContaining({ code: 'MONITOR_STATE_MISMATCH', exitCode: 2 }),
    );
  });

  const good = { format: MONITOR_STATE_FORMAT, origin: ORIGIN, checkpoint: 'n\n', updated: 'now' };
  it.each([
    ['not JSON', '{'],
    ['an array', '[]'],
    ['an unknown field', JSON.stringify({ ...good, extra: 1 })],
    ['another format', JSON.stringify({ ...good, format: 'v0' })],
    ['a non-string checkpoint', JSON.stringify({ ...good, checkpoint: 5 })],
    ['a missing field', JSON.stringify({ format: good.format, origin: ORIGIN, checkpoint: 'n\n' })],
  ])('refuses %s', (_name, text) => {
    writeFileSync(file, text);
    expect(() => readMonitorState(file, ORIGIN)).toThrow(
      expect.objectContaining({ code: 'MONITOR_STATE_MALFORMED' }),
    );
  });
});
