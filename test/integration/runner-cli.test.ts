/**
 * The runner's commands through the real CLI (node --import tsx ceremony/cli/main.ts): init,
 * script validate, script print (text and PDF, read back with pdftotext and rendered with
 * pdftoppm), run (dry run, unattended, refusals) and transcript verify, with their exit codes.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ceremonyDir, tempDir } from '../unit/runner/fixture.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const main = join(repo, 'ceremony/cli/main.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string | undefined> = {}, cwd = repo): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
      cwd,
      env: {
        ...process.env,
        FLEET_CEREMONY_SIGNERS: undefined,
        FLEET_CEREMONY_SIGNOFF_KEYS: undefined,
        FLEET_CEREMONY_YES: undefined,
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end();
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('fleet-ceremony init, script, run, transcript (CLI)', () => {
  it('every command has --help', async () => {
    const cmds = [['init'], ['script'], ['run'], ['transcript', 'verify']];
    const runs = await Promise.all(cmds.map((c) => cli([...c, '--help'])));
    runs.forEach((r, i) => {
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`fleet-ceremony ${cmds[i]!.join(' ')}`);
    });
    expect(runs[1]!.stdout).toMatch(/script validate <file>[\s\S]*script print <file>/);
  });

  it('init scaffolds a rehearsal exclusively; its script validates', async () => {
    const base = tempDir();
    const dir = join(base, 'rehearsal');
    const [r, bad] = await Promise.all([
      cli(['init', dir, '--template', 'rehearsal', '--participants', '4', '--json']),
      cli(['init', join(base, 'x'), '--template', 'nope']),
    ]);
    expect([r.code, bad.code]).toEqual([0, 2]);
    const out = JSON.parse(r.stdout) as {
      participants: { id: string; keyFile?: string; publicKey?: string }[];
    };
    expect(out.participants.filter((p) => p.id.startsWith('co-')).map((p) => p.id)).toEqual([
      'co-1',
      'co-2',
      'co-3',
      'co-4',
    ]);
    expect(readdirSync(dir).sort()).toEqual([
      'README.md',
      'ceremony-script.schema.json',
      'ceremony.yaml',
      'participants',
      'participants.json',
    ]);
    expect(statSync(join(dir, 'participants')).mode & 0o777).toBe(0o700);
    for (const p of out.participants) expect(statSync(join(dir, p.keyFile!)).mode & 0o777).toBe(0o600);
    const script = readFileSync(join(dir, 'ceremony.yaml'), 'utf8');
    expect(script).toMatch(/^# yaml-language-server: \$schema=\.\/ceremony-script\.schema\.json/);
    expect(script).toContain('quorum:\n  threshold: 3\n  of: 4\n');
    const [check, again] = await Promise.all([
      cli(['script', 'validate', join(dir, 'ceremony.yaml')]),
      cli(['init', dir, '--template', 'rehearsal']),
    ]);
    expect(check.code).toBe(0);
    expect(check.stderr).toContain('valid ceremony script');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('[INIT_DIR_EXISTS]');
    expect(readFileSync(join(dir, 'ceremony.yaml'), 'utf8')).toBe(script);
  });

  it('script validate prints every problem as file:line:column: reason [CODE], exit 2', async () => {
    const c = ceremonyDir();
    const text = readFileSync(c.script, 'utf8')
      .replace('  epoch: 1', '  epoch: one')
      .replace('    backend: emulated', '    backend: softhsm');
    writeFileSync(c.script, text);
    const r = await cli(['script', 'validate', c.script, '--json']);
    expect(r.code).toBe(2);
    const line = (s: string) => text.split('\n').findIndex((l) => l.startsWith(s)) + 1;
    expect(r.stderr).toContain(
      `${c.script}:${line('  epoch: one')}:10: ceremony.epoch must be an integer, not a string [SCRIPT_WRONG_TYPE]`,
    );
    expect(r.stderr).toContain(
      `${c.script}:${line('    backend: softhsm')}:14: hsms[0].backend can only be emulated or pkcs11 (got "softhsm") [SCRIPT_BAD_VALUE]`,
    );
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: false,
      issues: [{ code: 'SCRIPT_WRONG_TYPE' }, { code: 'SCRIPT_BAD_VALUE' }],
    });
  });

  it('script print writes the paper script as text, and as a PDF that pdftotext reads and pdftoppm renders', async () => {
    const dir = tempDir();
    const pdf = join(dir, 'script.pdf');
    const template = join(repo, 'templates/rehearsal.yaml');
    const [text, made] = await Promise.all([
      cli(['script', 'print', template]),
      cli(['script', 'print', template, '--pdf', pdf]),
    ]);
    expect([text.code, made.code]).toEqual([0, 0]);
    expect(text.stdout).toMatch(/STEPS +Initials +Time \(UTC\)/);
    expect(text.stdout).toContain(' 5. Assemble the fleet key set [assemble-key-set]');
    const extracted = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    for (const title of [
      'Check the environment',
      'Generate the fleet keys inside the HSMs',
      'Seal the transcript',
      'Initials',
      'Time (UTC)',
      'Final sign-off',
      'Crypto Officer 5',
      'Fleet key set digest',
    ])
      expect(extracted).toContain(title);
    execFileSync('pdftoppm', ['-r', '40', '-png', '-f', '1', '-l', '1', pdf, join(dir, 'page')]);
    const png = readdirSync(dir).find((f) => f.startsWith('page') && f.endsWith('.png'))!;
    expect(statSync(join(dir, png)).size).toBeGreaterThan(5000);
    const before = readFileSync(pdf);
    const again = await cli(['script', 'print', template, '--pdf', pdf]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('[PRINT_OUTPUT_EXISTS]');
    expect(readFileSync(pdf)).toEqual(before);
  });

  it('run --dry-run prints the plan and touches nothing; it refuses what a run would refuse', async () => {
    const c = ceremonyDir();
    const busy = ceremonyDir();
    const [ok, refused] = await Promise.all([
      cli(['run', c.script, '--dry-run']),
      cli(['run', busy.script, '--dry-run', '--workdir', join(busy.dir, 'participants')]),
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('3. Crypto officers approve  [signoff]');
    expect(ok.stdout).toContain('sign-offs: 2 crypto-officer');
    expect(ok.stderr).toContain('nothing was written or opened');
    expect(existsSync(join(c.dir, 'work'))).toBe(false);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('[RUNNER_WORKDIR_NOT_EMPTY]');
  });

  it('run refuses to prompt without a terminal, and runs unattended with --yes; transcript verify checks it', async () => {
    const c = ceremonyDir();
    const noTty = await cli(['run', c.script]);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain('[RUNNER_NOT_INTERACTIVE]');
    expect(existsSync(join(c.dir, 'work'))).toBe(false);

    const r = await cli(['run', c.script, '--yes', '--json'], { NO_COLOR: '1' });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { sealed: boolean; head: string; transcript: string };
    expect(result.sealed).toBe(true);
    expect(r.stderr).not.toContain('\u001b[');
    const t = join(c.dir, 'work', 'transcript.jsonl');
    const bytes = readFileSync(t);
    const tampered = join(c.dir, 'tampered.jsonl');
    writeFileSync(tampered, Buffer.from(bytes.toString('utf8').replace('"attempt":1', '"attempt":3')));
    const torn = join(c.dir, 'torn.jsonl');
    writeFileSync(torn, bytes.subarray(0, bytes.length - 10));
    const [byParticipants, byScript, again, bad, cut] = await Promise.all([
      cli(['transcript', 'verify', t, '--participants', participantsFile(c)]),
      cli(['transcript', 'verify', t, '--script', c.script, '--head', result.head, '--json']),
      cli(['run', c.script, '--yes']),
      cli(['transcript', 'verify', tampered]),
      cli(['transcript', 'verify', torn]),
    ]);
    expect([byParticipants.code, byScript.code]).toEqual([0, 0]);
    expect(byParticipants.stderr).toContain('verified');
    expect(JSON.parse(byScript.stdout)).toMatchObject({
      ok: true,
      sealed: true,
      head: result.head,
      signoffs: 7,
      participantsSource: 'pinned',
    });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('[RUNNER_WORKDIR_IN_USE]');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('[TRANSCRIPT_CHAIN_BROKEN]');
    expect(cut.code).toBe(2);
    expect(cut.stderr).toContain('[TRANSCRIPT_TORN_TAIL]');
  });

  it('run stops when a quorum cannot be met (exit 1) and the transcript says so', async () => {
    const c = ceremonyDir({ officers: 3, threshold: 2 });
    const r = await cli([
      'run',
      c.script,
      '--yes',
      '--signer',
      'admin',
      '--signer',
      'int-witness',
      '--signer',
      'co-1',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[SIGNOFF_QUORUM_NOT_MET]');
    const t = join(c.dir, 'work', 'transcript.jsonl');
    const [sealed, open] = await Promise.all([
      cli(['transcript', 'verify', t]),
      cli(['transcript', 'verify', t, '--allow-unsealed', '--json']),
    ]);
    expect(sealed.code).toBe(1);
    expect(sealed.stderr).toContain('[TRANSCRIPT_NOT_SEALED]');
    expect(open.code).toBe(0);
    expect(open.stderr).toContain('pass --participants or --script to pin them');
    expect(JSON.parse(open.stdout).interruptions).toEqual([expect.objectContaining({ reason: 'error' })]);
  });
});

/** A participants.json for a fixture ceremony directory. */
function participantsFile(c: ReturnType<typeof ceremonyDir>): string {
  const roles: Record<string, string> = {
    admin: 'administrator',
    'int-witness': 'internal-witness',
    'op-signer': 'operator-signer',
  };
  const list = [...c.keys].map(([id, k]) => ({
    id,
    role: roles[id] ?? 'crypto-officer',
    publicKey: k.publicKey,
  }));
  const path = join(c.dir, 'participants.json');
  writeFileSync(path, JSON.stringify({ format: 'fleet-ceremony/participants/v1', participants: list }));
  return path;
}
