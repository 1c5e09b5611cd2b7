/**
 * Loading the public attestation samples of test/vectors/attestation (README.md there names every
 * source and caveat; manifest.json the expected facts), and the one-bit mutation helper the
 * tamper suites use.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AttestationResult, KeyAttestation } from '../../../../ceremony/attest/index.js';
import { pemDecodeAll } from '../../../../ceremony/codec/index.js';

/** The folder of the attestation vectors, ending in `/`. */
export const VECTORS = fileURLToPath(new URL('../../../vectors/attestation/', import.meta.url));

/** Every certificate (DER) in a PEM file of the vectors folder (lax RFC 7468: vendor files). */
export function pemCerts(path: string): Uint8Array[] {
  return pemDecodeAll(readFileSync(VECTORS + path, 'utf8'), 'CERTIFICATE', { lax: true, field: path }).map(
    (b) => b.der,
  );
}

/** The one certificate in a PEM file of the vectors folder. */
export function pemCert(path: string): Uint8Array {
  const [der, ...rest] = pemCerts(path);
  if (der === undefined || rest.length > 0) throw new Error(`${path}: want exactly one certificate`);
  return der;
}

/** The DER SubjectPublicKeyInfo in a `PUBLIC KEY` PEM file. */
export function pemPublicKey(path: string): Uint8Array {
  const [block] = pemDecodeAll(readFileSync(VECTORS + path, 'utf8'), 'PUBLIC KEY', {
    lax: true,
    field: path,
  });
  return block!.der;
}

/** One sample of manifest.json (only the fields these suites read). */
export interface ManifestSample {
  id: string;
  vendor: string;
  files: Record<string, string | string[]>;
  expect: Record<string, unknown>;
}

/** manifest.json, parsed. */
export const manifest = JSON.parse(readFileSync(VECTORS + 'manifest.json', 'utf8')) as {
  samples: ManifestSample[];
  roots: Record<string, string>;
};

/** The samples of one vendor. */
export function samplesOf(vendor: string): ManifestSample[] {
  return manifest.samples.filter((s) => s.vendor === vendor);
}

/** A copy of `bytes` with bit `bit` (0 = the most significant bit of byte 0) flipped. */
export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  out[bit >> 3] = out[bit >> 3]! ^ (0x80 >> (bit & 7));
  return out;
}

/** 2026-11-27, the day the README's checks were run: every Yubico certificate is valid then. */
export const CHECKED_ON = new Date('2026-11-27T00:00:00Z');

/**
 * Verifies `evidence` once per flipped bit: every `stride`-th bit of the statement and of each
 * chain certificate (part p starts at bit p mod stride, so the strides walk every bit position).
 * A mutation counts as accepted when the result is ok or names no failure.
 * @returns the accepted mutations (`part P bit B`), how many were tried, and how many bits there are.
 */
export async function flippedBitsAccepted(
  evidence: KeyAttestation,
  verify: (e: KeyAttestation) => Promise<AttestationResult>,
  stride: number,
): Promise<{ accepted: string[]; tried: number; bits: number }> {
  const parts = [evidence.statement, ...evidence.chain];
  const accepted: string[] = [];
  let tried = 0;
  for (const [p, bytes] of parts.entries()) {
    for (let bit = p % stride; bit < bytes.length * 8; bit += stride) {
      const flipped = flipBit(bytes, bit);
      const r = await verify(
        p === 0
          ? { ...evidence, statement: flipped }
          : { ...evidence, chain: evidence.chain.map((c, i) => (i === p - 1 ? flipped : c)) },
      );
      tried++;
      if (r.ok || r.failures.length === 0) accepted.push(`part ${p} bit ${bit}`);
    }
  }
  return { accepted, tried, bits: parts.reduce((n, b) => n + b.length * 8, 0) };
}
