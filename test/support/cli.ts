/**
 * How tests run the real `fleet-ceremony` CLI as a child process.
 *
 * scripts/test.sh builds first and sets FLEET_TEST_CLI=dist, so suites run the compiled CLI
 * (node dist/cli/main.js, ~0.2 s a start). A bare `npx vitest run` during development runs the
 * TypeScript source through tsx instead (~1 s a start), so it never tests a stale build.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** argv (after process.execPath) that starts the CLI. */
export function cliArgv(): string[] {
  const dist = join(repoRoot, 'dist/cli/main.js');
  if (process.env.FLEET_TEST_CLI === 'dist' && existsSync(dist)) return [dist];
  return ['--import', 'tsx', join(repoRoot, 'ceremony/cli/main.ts')];
}

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
}

/** Runs `fleet-ceremony ...args` and collects its exit status and output. */
export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...cliArgv(), ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolvePromise({ status, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
