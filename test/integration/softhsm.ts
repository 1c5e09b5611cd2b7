/**
 * Per-run SoftHSM2 environments for integration tests: a temporary directory with its own
 * `softhsm2.conf` and token directory, tokens initialised with `softhsm2-util --init-token --free`
 * under random PINs, and a snapshot of the token files to prove an operation changed nothing.
 *
 * SoftHSM2 reads `SOFTHSM2_CONF` when the module is initialised, so {@link createSoftHsm} sets it
 * in `process.env`; vitest runs each test file in its own process. Requires `softhsm2-util` and the
 * module (scripts/test.sh installs softhsm2 where missing).
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import { promisify } from 'node:util';
import pkcs11js from 'pkcs11js';
import { listPkcs11Tokens, locatePkcs11Module } from '../../ceremony/hsm/pkcs11/index.js';

const run = promisify(execFile);

/** One initialised token. The PINs are random per run, so a leak scan can search for them. */
export interface SoftHsmToken {
  label: string;
  serial: string;
  pin: string;
  soPin: string;
}

/** A SoftHSM2 environment living in a temporary directory. */
export interface SoftHsmEnv {
  dir: string;
  conf: string;
  tokenDir: string;
  module: string;
  tokens: SoftHsmToken[];
  /** Removes the directory and restores `SOFTHSM2_CONF`. */
  cleanup(): Promise<void>;
}

/** The SoftHSM2 module, found at run time; throws with a clear message when it is not installed. */
export function softHsmModule(): string {
  const module = locatePkcs11Module();
  if (module === undefined) {
    throw new Error(
      'SoftHSM2 is not installed (libsofthsm2.so not found); run scripts/test.sh or apt-get install softhsm2',
    );
  }
  return module;
}

/**
 * Where to put test tokens: `FLEET_TEST_TMPDIR`, else the tmpfs `/dev/shm` where there is one
 * (SoftHSM2 writes each token object to a file; on a disk that costs 100–250 ms per key pair,
 * on tmpfs about 2 ms), else the system temp dir.
 */
export function tokenBaseDir(): string {
  const configured = process.env['FLEET_TEST_TMPDIR'];
  if (configured !== undefined && configured !== '') return configured;
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

/** A random PIN: 16 hex digits. */
export function randomPin(): string {
  return randomBytes(8).toString('hex');
}

/**
 * Creates a temp dir with a SoftHSM2 configuration and initialises one token per label.
 * Postcondition: `process.env.SOFTHSM2_CONF` points at the new configuration.
 */
export async function createSoftHsm(labels: string[]): Promise<SoftHsmEnv> {
  const module = softHsmModule();
  const dir = await mkdtemp(join(tokenBaseDir(), 'fleet-softhsm-'));
  const tokenDir = join(dir, 'tokens');
  const conf = join(dir, 'softhsm2.conf');
  await mkdir(tokenDir, { mode: 0o700 });
  await writeFile(
    conf,
    `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
    { mode: 0o600 },
  );
  const previous = process.env['SOFTHSM2_CONF'];
  process.env['SOFTHSM2_CONF'] = conf;
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  const tokens: SoftHsmToken[] = [];
  for (const label of labels) {
    const pin = randomPin();
    const soPin = randomPin();
    await run(
      'softhsm2-util',
      ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', soPin],
      { env },
    );
    tokens.push({ label, serial: '', pin, soPin });
  }
  const listed = await listPkcs11Tokens(module);
  for (const t of tokens) t.serial = listed.find((x) => x.label === t.label)?.serial ?? '';
  return {
    dir,
    conf,
    tokenDir,
    module,
    tokens,
    async cleanup() {
      if (previous === undefined) delete process.env['SOFTHSM2_CONF'];
      else process.env['SOFTHSM2_CONF'] = previous;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * SHA-256 of every file under the token directory, by relative path (lock files excluded).
 * With `objectsOnly`, only key and data objects: SoftHSM2 rewrites `token.object` (login-failure
 * flags) and `generation` on some calls that create no object, e.g. a failed `C_Login`.
 */
export async function snapshotTokens(
  env: SoftHsmEnv,
  { objectsOnly = false }: { objectsOnly?: boolean } = {},
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.lock')) continue;
      else if (objectsOnly && (e.name === 'token.object' || e.name === 'generation')) continue;
      else
        out[relative(env.tokenDir, p)] = createHash('sha256')
          .update(await readFile(p))
          .digest('hex');
    }
  };
  await walk(env.tokenDir);
  return out;
}

/**
 * Creates a data object (public, or private with `isPrivate`) labelled `label` on `token`, with
 * pkcs11js directly. Precondition: the module is not loaded by this process (no handle open).
 */
export function createDataObject(
  env: SoftHsmEnv,
  token: SoftHsmToken,
  label: string,
  isPrivate: boolean,
): void {
  const p = new pkcs11js.PKCS11();
  p.load(env.module);
  p.C_Initialize();
  try {
    const slot = p.C_GetSlotList(true).find((s) => p.C_GetTokenInfo(s).label.trimEnd() === token.label);
    if (slot === undefined) throw new Error(`token ${token.label} not found`);
    const session = p.C_OpenSession(slot, pkcs11js.CKF_RW_SESSION | pkcs11js.CKF_SERIAL_SESSION);
    p.C_Login(session, pkcs11js.CKU_USER, token.pin);
    p.C_CreateObject(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_DATA },
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: isPrivate },
      { type: pkcs11js.CKA_LABEL, value: label },
      { type: pkcs11js.CKA_VALUE, value: Buffer.from('not a key') },
    ]);
    p.C_Logout(session);
    p.C_CloseSession(session);
  } finally {
    p.C_Finalize();
    p.close();
  }
}

/** Whether OpenSC's pkcs11-tool is installed (an independent reader of token objects). */
export function hasPkcs11Tool(): boolean {
  return (process.env['PATH'] ?? '').split(delimiter).some((d) => {
    try {
      accessSync(join(d, 'pkcs11-tool'), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Runs OpenSC's pkcs11-tool against `token` (logged in); returns stdout. */
export async function pkcs11Tool(env: SoftHsmEnv, token: SoftHsmToken, args: string[]): Promise<string> {
  const { stdout } = await run(
    'pkcs11-tool',
    ['--module', env.module, '--token-label', token.label, '--login', '--pin', token.pin, ...args],
    { env: { ...process.env, SOFTHSM2_CONF: env.conf } },
  );
  return stdout;
}
