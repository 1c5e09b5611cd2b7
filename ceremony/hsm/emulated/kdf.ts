/**
 * PIN → key-encryption key: scrypt (RFC 7914) over the NFC-normalised UTF-8 PIN with the device's
 * 32-byte random salt, 32-byte output (the AES-256-GCM key of ./keystore.ts).
 *
 * Production default N = 2^17, r = 8, p = 1 (128 MiB, a few hundred ms; OWASP's scrypt
 * recommendation). Tests may lower the cost through the explicit `kdf` option of enrolment, never
 * below N = 2^10; the parameters live in the authenticated keystore header.
 */
import { scrypt } from 'node:crypto';
import { MalformedError, UsageError } from '../../errors.js';

/** scrypt cost parameters. */
export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  log2N: number;
  /** Block size r. */
  r: number;
  /** Parallelisation p. */
  p: number;
}

/** Production-strength default: N = 2^17, r = 8, p = 1. */
export const DEFAULT_KDF: Readonly<ScryptParams> = Object.freeze({ log2N: 17, r: 8, p: 1 });

const LIMITS = { log2N: [10, 22], r: [1, 32], p: [1, 16] } as const;
/** Refuse parameters that would need more than 1 GiB (a hostile header must not exhaust memory). */
const MAX_MEMORY = 1 << 30;

/**
 * Checks scrypt parameters against the accepted ranges (log2N 10..22, r 1..32, p 1..16, memory
 * 128·N·r at most 1 GiB).
 * @param origin - `option` for caller input (UsageError), `state` for a stored header (MalformedError).
 * @throws UsageError `HSM_KDF_INVALID` / MalformedError `HSM_STATE_MALFORMED` naming the parameter.
 */
export function checkKdf(params: ScryptParams, origin: 'option' | 'state', file?: string): ScryptParams {
  for (const key of ['log2N', 'r', 'p'] as const) {
    const v = params[key];
    const [lo, hi] = LIMITS[key];
    if (!Number.isInteger(v) || v < lo || v > hi) {
      const msg = `kdf.${key} is ${String(v)}; it must be an integer in ${lo}..${hi}`;
      if (origin === 'option') throw new UsageError('HSM_KDF_INVALID', msg, { field: `kdf.${key}` });
      throw new MalformedError('HSM_STATE_MALFORMED', msg, { field: `kdf.${key}`, file });
    }
  }
  if (128 * 2 ** params.log2N * params.r > MAX_MEMORY) {
    const msg = `kdf needs ${128 * 2 ** params.log2N * params.r} bytes of memory, more than ${MAX_MEMORY}`;
    if (origin === 'option') throw new UsageError('HSM_KDF_INVALID', msg, { field: 'kdf' });
    throw new MalformedError('HSM_STATE_MALFORMED', msg, { field: 'kdf', file });
  }
  return { log2N: params.log2N, r: params.r, p: params.p };
}

/**
 * Derives the 32-byte key-encryption key from a PIN. The caller owns the result and wipes it
 * (`fill(0)`) when the session ends.
 * Precondition: `params` passed {@link checkKdf}; `salt` is 32 bytes.
 */
export async function deriveKek(pin: string, salt: Uint8Array, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.log2N;
  // Node refuses scrypt above `maxmem`; allow exactly what these parameters need, plus slack.
  const maxmem = 128 * N * params.r + 128 * params.r * params.p + (16 << 20);
  const pinBytes = Buffer.from(pin.normalize('NFC'), 'utf8');
  try {
    return await new Promise<Buffer>((resolve, reject) =>
      scrypt(pinBytes, salt, 32, { N, r: params.r, p: params.p, maxmem }, (err, key) =>
        err ? reject(err) : resolve(key),
      ),
    );
  } finally {
    // The PIN's bytes are secret; the JS string cannot be wiped, but this copy can.
    pinBytes.fill(0);
  }
}
