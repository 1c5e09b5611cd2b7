/**
 * `init` in-process: every template scaffolds a valid script; rehearsal key files are private and
 * pinned in the script; `--participants N` sets the officers and a majority quorum; existing
 * directories and bad arguments are refused without writing anything.
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identityPublicKey } from '../../../ceremony/runner/identity-key.js';
import { TEMPLATES, initCeremony } from '../../../ceremony/runner/init.js';
import { readParticipantsFile } from '../../../ceremony/runner/participants-file.js';
import { createStepRegistry } from '../../../ceremony/runner/registry.js';
import { loadScript } from '../../../ceremony/runner/script/index.js';
import { hexEncode } from '../../../ceremony/codec/index.js';
import { tempDir } from './fixture.js';

describe('initCeremony', () => {
  for (const template of TEMPLATES)
    it(`scaffolds ${template} with a script that validates`, async () => {
      const dir = join(tempDir(), 'c');
      const r = await initCeremony(dir, { template });
      const loaded = loadScript(r.script, { checkStep: createStepRegistry().check });
      expect(loaded.script.participants.map((p) => p.id)).toEqual(r.participants.map((p) => p.id));
      expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain(`from the \`${template}\` template`);
      expect(readFileSync(join(dir, 'ceremony-script.schema.json'), 'utf8')).toContain('"$schema"');
    });

  it('writes one private key file per rehearsal participant, pinned in the script and participants.json', async () => {
    const dir = join(tempDir(), 'c');
    const r = await initCeremony(dir, { template: 'rehearsal' });
    const script = loadScript(r.script).script;
    const pinned = readParticipantsFile(join(dir, 'participants.json'));
    expect(r.participants).toHaveLength(8);
    for (const p of script.participants) {
      const file = join(dir, p.keyFile!);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(p.publicKey).toBe(hexEncode(identityPublicKey(file)));
      expect(hexEncode(pinned.find((x) => x.id === p.id)!.publicKey)).toBe(p.publicKey);
    }
    expect(new Set(script.participants.map((p) => p.publicKey)).size).toBe(8);
  });

  it('sets N crypto officers and a majority quorum', async () => {
    for (const [n, m] of [
      [1, 1],
      [4, 3],
      [7, 4],
    ] as const) {
      const r = await initCeremony(join(tempDir(), 'c'), { template: 'rehearsal', participants: n });
      const s = loadScript(r.script).script;
      expect(s.participants.filter((p) => p.role === 'crypto-officer').map((p) => p.id)).toEqual(
        Array.from({ length: n }, (_, i) => `co-${i + 1}`),
      );
      expect(s.quorum).toEqual({ threshold: m, of: n });
    }
    const d = await initCeremony(join(tempDir(), 'c'), { template: 'fleet-deployment', participants: 2 });
    const officers = loadScript(d.script).script.participants.filter((p) => p.role === 'crypto-officer');
    expect(officers.map((p) => p.token?.tokenLabel)).toEqual(['co-1-card', 'co-2-card']);
  });

  it('refuses a non-empty directory, an unknown template and a bad count, writing nothing', async () => {
    const base = tempDir();
    const busy = join(base, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    await expect(initCeremony(busy, { template: 'rehearsal' })).rejects.toMatchObject({
      code: 'INIT_DIR_EXISTS',
    });
    expect(readdirSync(busy)).toEqual(['notes.txt']);
    await expect(initCeremony(join(base, 'a'), { template: 'demo' })).rejects.toMatchObject({
      code: 'INIT_UNKNOWN_TEMPLATE',
    });
    await expect(
      initCeremony(join(base, 'b'), { template: 'rehearsal', participants: 0 }),
    ).rejects.toMatchObject({ code: 'INIT_BAD_PARTICIPANTS' });
    expect(existsSync(join(base, 'a')) || existsSync(join(base, 'b'))).toBe(false);
    expect(readdirSync(base)).toEqual(['busy']);
  });

  it('accepts an existing empty directory', async () => {
    const dir = join(tempDir(), 'empty');
    mkdirSync(dir);
    await initCeremony(dir, { template: 'fleet-rotation' });
    expect(readdirSync(dir)).toContain('ceremony.yaml');
  });
});
