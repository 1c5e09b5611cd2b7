/**
 * The files the ceremony steps leave in the working directory (docs/operator-guide.md, "The
 * working directory"), and the one way they are written: created exclusively and atomically
 * (a temporary sibling, fsync'ed, linked to its name, the directory fsync'ed), never overwritten.
 * A step that runs again after an interruption finds the files its earlier attempt wrote and
 * checks them instead of writing them twice.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError, VerificationError } from '../../../errors.js';
import { fsyncDir, writeFileExclusive } from '../../../io/index.js';

/** Artifact paths, relative to the working directory. */
export const ARTIFACTS = {
  /** One PEM file per HSM with an identity chain: device certificate … vendor root. */
  identityChain: (hsmId: string) => `identity/${hsmId}.pem`,
  /** One JSON file per fleet key: its attestation as the HSM returned it. */
  attestation: (label: string) => `attestations/${label}.json`,
  fleetKeySet: 'fleet-key-set.cbor',
  statement: 'witness/statement.bin',
  statementSignature: 'witness/statement.sig',
  tlogProof: 'witness/tlog-proof',
  /** The witness statement key that signed (hex), as the witness listed it. */
  witnessKey: 'witness/statement-key.hex',
  countersignature: 'countersignature.sig',
  bundle: 'bundle.cbor',
  evidencePlan: 'evidence-plan.json',
} as const;

/** Largest artifact read back: 8 MiB (a fleet key set of 4,096 keys is under 1 MiB). */
export const MAX_ARTIFACT_BYTES = 8 * 1024 * 1024;

/** Absolute path of artifact `rel` in `workdir`. */
export function artifactPath(workdir: string, rel: string): string {
  return join(workdir, ...rel.split('/'));
}

/** The artifact's bytes, or undefined when it does not exist. */
export function readArtifact(workdir: string, rel: string): Uint8Array | undefined {
  const path = artifactPath(workdir, rel);
  const st = statSync(path, { throwIfNoEntry: false });
  if (st === undefined) return undefined;
  if (!st.isFile() || st.size > MAX_ARTIFACT_BYTES)
    throw new UsageError(
      'CEREMONY_ARTIFACT_INVALID',
      `not a regular file of at most ${MAX_ARTIFACT_BYTES} bytes`,
      { file: path },
    );
  return new Uint8Array(readFileSync(path));
}

/**
 * The artifact's bytes; it must exist.
 * @throws UsageError `CEREMONY_ARTIFACT_MISSING` naming the step that writes it.
 */
export function requireArtifact(workdir: string, rel: string, writtenBy: string): Uint8Array {
  const bytes = readArtifact(workdir, rel);
  if (bytes === undefined)
    throw new UsageError(
      'CEREMONY_ARTIFACT_MISSING',
      `missing; it is written by a ${writtenBy} step, which must run first`,
      { file: artifactPath(workdir, rel) },
    );
  return bytes;
}

/**
 * Creates artifact `rel` with `data` (exclusively, atomically, durable on return), creating its
 * directory as needed. Public data only: nothing secret is ever written here.
 * @throws UsageError `CEREMONY_ARTIFACT_EXISTS` if it exists.
 */
export function writeArtifact(workdir: string, rel: string, data: Uint8Array | string): void {
  const path = artifactPath(workdir, rel);
  const dir = dirname(path);
  if (statSync(dir, { throwIfNoEntry: false }) === undefined) {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    fsyncDir(dirname(dir));
  }
  writeFileExclusive(path, data, 0o644, 'CEREMONY_ARTIFACT_EXISTS');
}

/**
 * Creates artifact `rel`, or checks that the one an earlier attempt wrote holds exactly `data`.
 * @throws VerificationError `CEREMONY_ARTIFACT_CHANGED` when it holds something else.
 */
export function writeOrCheckArtifact(workdir: string, rel: string, data: Uint8Array | string): void {
  const old = readArtifact(workdir, rel);
  if (old === undefined) return writeArtifact(workdir, rel, data);
  const want = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  if (old.length !== want.length || old.some((b, i) => b !== want[i]))
    throw new VerificationError(
      'CEREMONY_ARTIFACT_CHANGED',
      'an earlier attempt saved different content here',
      {
        file: artifactPath(workdir, rel),
      },
    );
}
