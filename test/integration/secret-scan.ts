/**
 * The secrets of a demo directory, obtained the honest way (each HSM's state decrypted with its
 * PIN by the emulated device's own decrypt function, key files parsed), and a scanner that looks
 * for them in files and text in every form they could leak in: raw bytes, hex (both cases),
 * base64, base64url, and the text of the key files themselves (PEM, C2SP signer keys).
 */
import { createPrivateKey } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decryptKeystoreFile } from '../../ceremony/hsm/emulated/keystore.js';

/** A secret and where it came from (never printed: only its origin is). */
export interface Secret {
  origin: string;
  bytes?: Uint8Array;
  text?: string;
}

/** Every form of a secret to search for. */
export function needles(s: Secret): Buffer[] {
  const out: Buffer[] = [];
  if (s.text !== undefined) {
    out.push(Buffer.from(s.text));
    // A PEM key's first body line holds private-key bytes (PKCS#8 puts the key before the public
    // point); later lines of an EC key may hold only the public point, which is public.
    const body = s.text.split('\n').find((line) => /^[A-Za-z0-9+/=]{24,}$/.test(line.trim()));
    if (s.text.startsWith('-----BEGIN') && body !== undefined) out.push(Buffer.from(body.trim()));
  }
  if (s.bytes !== undefined) {
    const b = Buffer.from(s.bytes);
    out.push(
      b,
      Buffer.from(b.toString('hex')),
      Buffer.from(b.toString('hex').toUpperCase()),
      Buffer.from(b.toString('base64').replace(/=+$/, '')),
      Buffer.from(b.toString('base64url')),
    );
  }
  return out;
}

/** The origins of the secrets found in `haystack`. */
export function leaks(haystack: Buffer, secrets: readonly Secret[]): string[] {
  return secrets.filter((s) => needles(s).some((n) => haystack.includes(n))).map((s) => s.origin);
}

/** Every regular file under `dir` (a `.gz` also decompressed), except paths `skip` accepts. */
export function filesUnder(dir: string, skip: (rel: string) => boolean = () => false): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const rel = relative(dir, p);
      if (skip(rel)) continue;
      if (statSync(p).isDirectory()) walk(p);
      else {
        const bytes = readFileSync(p);
        out.set(rel, bytes);
        if (name.endsWith('.gz')) out.set(`${rel} (decompressed)`, gunzipSync(bytes));
      }
    }
  };
  walk(dir);
  return out;
}

/** `path: origins` for every file of `files` holding a secret. */
export function scanFiles(files: ReadonlyMap<string, Buffer>, secrets: readonly Secret[]): string[] {
  return [...files].flatMap(([path, bytes]) => {
    const found = leaks(bytes, secrets);
    return found.length === 0 ? [] : [`${path}: ${found.join(', ')}`];
  });
}

function rawPrivateKey(pem: string): Uint8Array {
  const jwk = createPrivateKey(pem).export({ format: 'jwk' });
  return Buffer.from(jwk.d!, 'base64url');
}

/**
 * The secrets of a demo directory `dir` with emulated HSMs: the PINs, every private key inside the
 * HSMs (decrypted with the PINs), every participant, witness and vendor key.
 */
export async function demoSecrets(
  dir: string,
  pins: Record<string, string>,
  hsmDirs: Record<string, string>,
): Promise<Secret[]> {
  const out: Secret[] = Object.entries(pins).map(([name, pin]) => ({ origin: `PIN ${name}`, text: pin }));
  for (const [pinEnv, hsmDir] of Object.entries(hsmDirs)) {
    const state = await decryptKeystoreFile(join(dir, hsmDir), pins[pinEnv]!);
    if (state === undefined) throw new Error(`cannot decrypt ${hsmDir}`);
    out.push({ origin: `${hsmDir} attestation key`, bytes: state.attestationKey.secretKey });
    for (const k of state.keys) out.push({ origin: `${hsmDir} key ${k.label}`, bytes: k.secretKey });
    out.push({ origin: `${hsmDir}/counter.key`, bytes: readFileSync(join(dir, hsmDir, 'counter.key')) });
  }
  for (const f of readdirSync(join(dir, 'participants'))) {
    const pem = readFileSync(join(dir, 'participants', f), 'utf8');
    out.push({ origin: `participants/${f}`, text: pem, bytes: rawPrivateKey(pem) });
  }
  const vendorKey = join(dir, 'vendor', 'root-key.pem');
  if (existsSync(vendorKey)) {
    const pem = readFileSync(vendorKey, 'utf8');
    out.push({ origin: 'vendor/root-key.pem', text: pem, bytes: rawPrivateKey(pem) });
  }
  const keys = join(dir, 'witness', 'keys');
  if (existsSync(keys))
    for (const f of readdirSync(keys)) {
      const text = readFileSync(join(keys, f), 'utf8').trim();
      // C2SP signer keys: PRIVATE+KEY+<name>+<8 hex key id>+<base64(type || seed)> (base64 may hold '+').
      const c2sp = /\+[0-9a-f]{8}\+([A-Za-z0-9+/]+=*)$/.exec(text);
      const bytes = f.startsWith('statement')
        ? Buffer.from(text, 'hex')
        : Buffer.from(c2sp![1]!, 'base64').subarray(1);
      expect32(bytes, f);
      out.push({ origin: `witness/keys/${f}`, text, bytes });
    }
  return out;
}

function expect32(b: Uint8Array, what: string): void {
  if (b.length !== 32) throw new Error(`${what}: want a 32-byte seed`);
}
