/**
 * A "fresh clone" of the working tree for the README commands: every file git would check out
 * (tracked, and untracked but not ignored: no dist/, no .tmp), copied with its mode, into a new
 * directory. node_modules is not copied from the network-less machine's checkout but assembled
 * as links to its packages, with the install stamp scripts/lib/install.sh checks, so the
 * script's own `npm ci` step sees an installed tree (running `npm ci` needs the network).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from '../support/cli.js';

/** Copies the checkout's files into `dest` and links its packages; returns `dest`. */
export function freshClone(dest: string): string {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((f) => f !== '');
  for (const f of files) {
    const from = join(repoRoot, f);
    const st = statSync(from, { throwIfNoEntry: false });
    if (st === undefined || !st.isFile()) continue; // deleted in the working tree
    mkdirSync(dirname(join(dest, f)), { recursive: true });
    copyFileSync(from, join(dest, f));
    execFileSync('chmod', [(st.mode & 0o777).toString(8), join(dest, f)]);
  }
  const modules = join(dest, 'node_modules');
  mkdirSync(modules);
  for (const name of readdirSync(join(repoRoot, 'node_modules'))) {
    if (name === '.fleet-ceremony-lock') continue;
    symlinkSync(join(repoRoot, 'node_modules', name), join(modules, name));
  }
  copyFileSync(join(repoRoot, 'package-lock.json'), join(modules, '.fleet-ceremony-lock'));
  return dest;
}
