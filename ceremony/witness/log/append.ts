/**
 * Appending a batch to a store: check the entries, compute each entry's leaf hash and the stored
 * hashes it completes (Go sumdb/tlog `StoredHashes`), then hand everything to the store in one
 * transaction.
 */
import { UsageError } from '../../errors.js';
import { MAX_ENTRY_SIZE, hashLeaf, storedHashesForRecordHash } from '../../tlog/index.js';
import type { LogUsageErrorCode } from './codes.js';
import type { LogStorage, StoredEntry } from './storage.js';

/**
 * Checks a batch: 1..maxBatch entries, each a Uint8Array of at most 65535 bytes (the C2SP
 * tlog-tiles entry bundle limit).
 *
 * @throws UsageError `LOG_BATCH_EMPTY`, `LOG_BATCH_TOO_LARGE`, `LOG_ENTRY_INVALID` naming the entry.
 */
export function checkEntries(entries: readonly Uint8Array[], maxBatch: number): void {
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new UsageError<LogUsageErrorCode>('LOG_BATCH_EMPTY', 'entries: got none, want at least one', {
      field: 'entries',
    });
  }
  if (entries.length > maxBatch) {
    throw new UsageError<LogUsageErrorCode>(
      'LOG_BATCH_TOO_LARGE',
      `entries: got ${entries.length}, want at most ${maxBatch} per call`,
      { field: 'entries' },
    );
  }
  for (let i = 0; i < entries.length; i++) {
    const e: unknown = entries[i];
    if (!(e instanceof Uint8Array) || e.length > MAX_ENTRY_SIZE) {
      throw new UsageError<LogUsageErrorCode>(
        'LOG_ENTRY_INVALID',
        `entries[${i}]: got ${e instanceof Uint8Array ? `${e.length} bytes` : typeof e}, want a Uint8Array of at most ${MAX_ENTRY_SIZE} bytes`,
        { field: `entries[${i}]` },
      );
    }
  }
}

/**
 * Appends checked entries to `storage` in one durable transaction.
 *
 * @returns the index of the first entry.
 * @throws UsageError `LOG_CONCURRENT_WRITER` if another writer appended meanwhile (nothing stored),
 *   and whatever the store throws.
 */
export function appendEntries(storage: LogStorage, entries: readonly Uint8Array[]): number {
  const firstIndex = storage.size();
  const firstHashIndex = storage.hashCount();
  const hashes: Uint8Array[] = [];
  // Hashes below firstHashIndex are in the store; later ones were computed by this batch.
  const reader = (indexes: readonly number[]): Uint8Array[] => {
    const stored = indexes.filter((i) => i < firstHashIndex);
    const fromStore = stored.length === 0 ? [] : storage.readHashes(stored);
    let s = 0;
    return indexes.map((i) => (i < firstHashIndex ? fromStore[s++]! : hashes[i - firstHashIndex]!));
  };
  const stored: StoredEntry[] = entries.map((data, k) => {
    const leafHash = hashLeaf(data);
    for (const h of storedHashesForRecordHash(firstIndex + k, leafHash, reader)) hashes.push(h);
    return { data, leafHash };
  });
  storage.append({ firstIndex, entries: stored, firstHashIndex, hashes });
  return firstIndex;
}
