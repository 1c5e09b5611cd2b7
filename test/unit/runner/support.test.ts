/**
 * Small runner parts: the tool digest against the documented shell pipeline, the participants
 * file reader, the task list's renderer choice and its plain output.
 */
import { execFileSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { hexEncode } from '../../../ceremony/codec/index.js';
import { ed25519 } from '../../../ceremony/crypto/index.js';
import { parseParticipantsFile } from '../../../ceremony/runner/participants-file.js';
import { pickRenderer, runTasks } from '../../../ceremony/runner/tasklist.js';
import { toolDigest, toolRoot } from '../../../ceremony/runner/tool-digest.js';

describe('tool digest', () => {
  it('equals the sha256sum pipeline docs/runner.md gives', () => {
    const d = toolDigest();
    expect(d.tree).toBe('ceremony');
    const shell = execFileSync(
      'sh',
      [
        '-c',
        "(echo package.json; find ceremony -type f) | LC_ALL=C sort | xargs -d '\\n' sha256sum | sha256sum",
      ],
      {
        cwd: toolRoot(),
        encoding: 'utf8',
      },
    );
    expect(shell.slice(0, 64)).toBe(d.sha256);
  });
});

describe('participants file', () => {
  const key = hexEncode(ed25519.generateKeyPair().publicKey);
  const file = (participants: unknown[], extra = {}) =>
    JSON.stringify({ format: 'fleet-ceremony/participants/v1', participants, ...extra });

  it('reads pinned participants', () => {
    expect(
      parseParticipantsFile(file([{ id: 'co-1', name: 'A', role: 'crypto-officer', publicKey: key }])),
    ).toEqual([
      { id: 'co-1', name: 'A', role: 'crypto-officer', publicKey: Uint8Array.from(Buffer.from(key, 'hex')) },
    ]);
  });

  it.each([
    [
      'an unknown member',
      file([{ id: 'co-1', role: 'crypto-officer', publicKey: key, email: 'x' }]),
      'participants[0].email',
    ],
    ['a missing key', file([{ id: 'co-1', role: 'crypto-officer' }]), 'participants[0].publicKey'],
    ['a bad role', file([{ id: 'co-1', role: 'officer', publicKey: key }]), 'participants[0].role'],
    [
      'a repeated id',
      file([
        { id: 'a', role: 'administrator', publicKey: key },
        { id: 'a', role: 'administrator', publicKey: key },
      ]),
      'participants[1].id',
    ],
    [
      'a key off the curve',
      file([{ id: 'a', role: 'administrator', publicKey: '0'.repeat(64) }]),
      'participants[0].publicKey',
    ],
    ['another format', file([], { format: 'x' }), 'format'],
  ])('refuses %s, naming the member', (_name, text, field) => {
    expect(() => parseParticipantsFile(text)).toThrow(
      expect.objectContaining({ code: 'PARTICIPANTS_FILE_MALFORMED', field }),
    );
  });
});

describe('task list', () => {
  it('redraws in place only on a colour terminal with no prompts to come', () => {
    const tty = Object.assign(new Writable(), { isTTY: true });
    expect(pickRenderer({ mode: 'auto', interactive: false, noColor: false, output: tty })).toBe('default');
    expect(pickRenderer({ mode: 'auto', interactive: true, noColor: false, output: tty })).toBe('simple');
    expect(pickRenderer({ mode: 'auto', interactive: false, noColor: true, output: tty })).toBe('simple');
    expect(pickRenderer({ mode: 'auto', interactive: false, noColor: false, output: new Writable() })).toBe(
      'simple',
    );
  });

  it('prints each step as it starts and ends, with its time, and stops at the first failure', async () => {
    let text = '';
    const output = new Writable({ write: (chunk, _e, done) => ((text += String(chunk)), done()) });
    const ran: string[] = [];
    const failure = new Error('boom');
    await expect(
      runTasks(
        [
          {
            title: '1. First',
            run: async (say) => (ran.push('1'), say('hello'), await new Promise((r) => setTimeout(r, 5))),
          },
          { title: '2. Done before', skip: 'done', run: async () => void ran.push('2') },
          { title: '3. Third', run: () => Promise.reject(failure) },
          { title: '4. Never', run: async () => void ran.push('4') },
        ],
        { mode: 'simple', interactive: false, noColor: true, output },
      ),
    ).rejects.toBe(failure);
    expect(ran).toEqual(['1']);
    expect(text).toMatch(/1\. First[\s\S]*hello[\s\S]*1\. First \[\d+ ms\]/);
    expect(text).toContain('3. Third');
    expect(text).not.toContain('4. Never');
  });
});
