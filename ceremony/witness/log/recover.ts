/**
 * Recovery on open (docs/witness-log.md, "Recovery"): the store must agree with its identity and
 * with what the log published before the log may append or sign again.
 *
 * - `quick` (default): the origin and key are the store's; the stored-hash count matches the entry
 *   count; the tree recomputed from stored hashes reproduces the root of the latest stored
 *   checkpoint, whose note is exactly what the signer makes for it (or, given the log's verifier
 *   key, a valid checkpoint signed by it: then an HSM-backed signer signs nothing on open); the last entry's leaf hash
 *   matches its bytes. O(log n) reads.
 * - `full`: also every entry's leaf hash, every stored hash (recomputed from the one below) and
 *   every stored checkpoint. O(n).
 *
 * SQLite's own journal already undoes a transaction cut short by a crash; these checks catch a
 * store that was edited, restored from an old backup, or paired with the wrong key.
 */
import { UsageError, VerificationError } from '../../errors.js';
import {
  formatKeyId,
  hashLeaf,
  hashesEqual,
  openCheckpoint,
  signNote,
  storedHashCount,
  storedHashesForRecordHash,
  storedHashIndex,
  treeHash,
} from '../../tlog/index.js';
import type { Signer, Verifier } from '../../tlog/index.js';
import { checkpointText } from './checkpoints.js';
import type { LogUsageErrorCode, LogVerificationErrorCode } from './codes.js';
import type { LogStorage, StoredCheckpoint } from './storage.js';

/** How much {@link recoverLog} re-checks. */
export type RecoveryMode = 'quick' | 'full';

const CHUNK = 4096;

function corrupt(code: LogVerificationErrorCode, message: string): never {
  throw new VerificationError<LogVerificationErrorCode>(code, message, { field: 'store' });
}

function checkIdentity(storage: LogStorage, { origin, signer, verifier }: LogIdentity): void {
  if (signer.name !== origin) {
    throw new UsageError<LogUsageErrorCode>(
      'LOG_SIGNER_NAME_MISMATCH',
      `signer.name: got ${JSON.stringify(signer.name)}, want the origin ${JSON.stringify(origin)}`,
      { field: 'signer.name' },
    );
  }
  if (verifier !== undefined && (verifier.name !== signer.name || verifier.keyId !== signer.keyId)) {
    throw new UsageError<LogUsageErrorCode>(
      'LOG_SIGNER_KEY_MISMATCH',
      `verifier: key ${verifier.name}+${formatKeyId(verifier.keyId)} is not the signer's (${signer.name}+${formatKeyId(signer.keyId)})`,
      { field: 'verifier' },
    );
  }
  const stored = storage.initMeta('origin', origin);
  if (stored !== origin) {
    throw new UsageError<LogUsageErrorCode>(
      'LOG_ORIGIN_MISMATCH',
      `origin: got ${JSON.stringify(origin)}, but the store belongs to ${JSON.stringify(stored)}`,
      { field: 'origin' },
    );
  }
  const keyId = formatKeyId(signer.keyId);
  const storedKey = storage.initMeta('key_id', keyId);
  if (storedKey !== keyId) {
    throw new UsageError<LogUsageErrorCode>(
      'LOG_SIGNER_KEY_MISMATCH',
      `signer.keyId: got ${keyId}, but the store's checkpoints are signed by key ${storedKey}`,
      { field: 'signer.keyId' },
    );
  }
}

/** The log's identity as recovery checks it. */
export interface LogIdentity {
  readonly origin: string;
  readonly signer: Signer;
  /** The log's public key: when given, stored notes are verified with it instead of re-signed. */
  readonly verifier?: Verifier | undefined;
}

/** Whether `note` is a valid signed checkpoint of `cp`'s size and root by the log's key. */
function noteMatches(cp: StoredCheckpoint, id: LogIdentity): boolean {
  const text = checkpointText(id.origin, cp.size, cp.rootHash);
  if (id.verifier === undefined) {
    // Ed25519 signatures are deterministic: the note the signer makes now is byte-for-byte the
    // one it made then, so this checks the signature without a verifier key.
    return signNote(text, id.signer) === cp.note;
  }
  try {
    const opened = openCheckpoint(cp.note, [id.verifier], { origin: id.origin });
    return opened.text === text && opened.signatures.length === 1;
  } catch {
    return false;
  }
}

function checkCheckpoint(storage: LogStorage, cp: StoredCheckpoint, id: LogIdentity): void {
  const reader = (i: readonly number[]) => storage.readHashes(i);
  if (!hashesEqual(treeHash(cp.size, reader), cp.rootHash)) {
    corrupt(
      'LOG_STORE_ROOT_MISMATCH',
      `the stored tree of size ${cp.size} does not reproduce the root of the checkpoint published for that size`,
    );
  }
  if (!noteMatches(cp, id)) {
    corrupt(
      'LOG_STORE_CHECKPOINT_INVALID',
      `the stored checkpoint note of size ${cp.size} is not the one this log signs`,
    );
  }
}

function checkEntry(
  storage: LogStorage,
  i: number,
  data: Uint8Array,
  leafHash: Uint8Array,
  stored: Uint8Array,
): void {
  const h = hashLeaf(data);
  if (!hashesEqual(h, leafHash) || !hashesEqual(h, stored)) {
    corrupt('LOG_STORE_CORRUPT', `entry ${i}: its bytes do not hash to its stored leaf hash`);
  }
}

/** Full check of every entry and stored hash, in order, in chunks. */
function checkAllHashes(storage: LogStorage, size: number): void {
  const reader = (i: readonly number[]) => storage.readHashes(i);
  for (let start = 0; start < size; start += CHUNK) {
    const end = Math.min(size, start + CHUNK);
    const data = storage.readEntries(start, end);
    const leaves = storage.readLeafHashes(start, end);
    for (let i = start; i < end; i++) {
      const first = storedHashIndex(0, i);
      // Recomputed from hashes below `first`, which earlier iterations checked.
      const want = storedHashesForRecordHash(i, hashLeaf(data[i - start]!), reader);
      const got = storage.readHashes(want.map((_, k) => first + k));
      checkEntry(storage, i, data[i - start]!, leaves[i - start]!, got[0]!);
      want.forEach((h, k) => {
        if (!hashesEqual(h, got[k]!))
          corrupt('LOG_STORE_CORRUPT', `stored hash ${first + k} (entry ${i}) is wrong`);
      });
    }
  }
}

/**
 * Checks a store before a log runs on it; records origin and key id in a new store.
 *
 * @throws UsageError `LOG_SIGNER_NAME_MISMATCH`, `LOG_ORIGIN_MISMATCH`, `LOG_SIGNER_KEY_MISMATCH`.
 * @throws VerificationError `LOG_STORE_CORRUPT`, `LOG_STORE_ROOT_MISMATCH`,
 *   `LOG_STORE_CHECKPOINT_INVALID`.
 */
export function recoverLog(storage: LogStorage, id: LogIdentity, mode: RecoveryMode): void {
  checkIdentity(storage, id);
  const size = storage.size();
  const count = storage.hashCount();
  if (count !== storedHashCount(size)) {
    corrupt(
      'LOG_STORE_CORRUPT',
      `the store holds ${count} stored hashes for ${size} entries, want ${storedHashCount(size)}`,
    );
  }
  const latest = storage.latestCheckpoint();
  if (latest !== undefined && latest.size > BigInt(size)) {
    corrupt(
      'LOG_STORE_CORRUPT',
      `the latest checkpoint is for size ${latest.size}, but the store holds ${size} entries`,
    );
  }
  if (mode === 'full') {
    checkAllHashes(storage, size);
    for (const s of storage.checkpointSizes()) checkCheckpoint(storage, storage.checkpointAt(Number(s))!, id);
    return;
  }
  if (latest !== undefined) checkCheckpoint(storage, latest, id);
  if (size > 0) {
    const i = size - 1;
    checkEntry(
      storage,
      i,
      storage.readEntries(i, size)[0]!,
      storage.readLeafHashes(i, size)[0]!,
      storage.readHashes([storedHashIndex(0, i)])[0]!,
    );
  }
}
