/**
 * The transcript appender. The file is created exclusively when the ceremony starts (O_EXCL: an
 * existing transcript is never overwritten), opened O_APPEND, and every record is one `write` of
 * its whole line followed by `fsync`: once {@link TranscriptWriter.append} returns, the record
 * survives a crash or power loss. A kill during a write can leave at most one torn last line,
 * which {@link TranscriptWriter.reopen} repairs and records (docs/transcript.md, "Torn writes").
 */
import { closeSync, constants, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { utf8Encode } from '../../codec/index.js';
import { isCeremonyError, UsageError } from '../../errors.js';
import { fsyncDir, writeFileExclusive } from '../../io/index.js';
import { encodeRecord, lineHash, transcriptGenesis } from '../../transcript/chain.js';
import type { CeremonyStartData, JsonObject, RecordKind } from '../../transcript/records.js';
import { verifyTranscript } from '../../transcript/verify.js';
import type { TranscriptVerification } from '../../transcript/verify.js';

/** A record just written. */
export interface AppendedRecord {
  seq: number;
  time: string;
  /** Hex SHA-256 of the line: the new head. */
  hash: string;
}

/** Options of the writer. */
export interface TranscriptWriterOptions {
  /** Source of record times (default: the system clock). */
  clock?: () => Date;
}

/** A transcript reopened to continue a ceremony. */
export interface ReopenedTranscript {
  writer: TranscriptWriter;
  /** The transcript as it was found (before the repair record). */
  found: TranscriptVerification;
  /** The torn last line that was cut and recorded, if there was one. */
  repaired?: { offset: number; bytes: number; sha256: string; savedAs: string };
}

/** Appends hash-chained, fsync'ed records to one transcript file. */
export class TranscriptWriter {
  private closed = false;

  private constructor(
    /** Path of the transcript file. */
    readonly path: string,
    private fd: number,
    private seq: number,
    private headHash: string,
    private readonly clock: () => Date,
  ) {}

  /**
   * Creates `path` (exclusively) and writes the `ceremony-start` record.
   * @throws UsageError `TRANSCRIPT_EXISTS` if the file exists: a ceremony is never restarted over
   *   its transcript (resume it instead).
   */
  static create(path: string, start: CeremonyStartData, o: TranscriptWriterOptions = {}): TranscriptWriter {
    let fd: number;
    try {
      fd = openSync(
        path,
        constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL,
        0o644,
      );
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST')
        throw new UsageError(
          'TRANSCRIPT_EXISTS',
          'a transcript already exists here; resume that ceremony instead',
          {
            file: path,
          },
        );
      throw e;
    }
    const w = new TranscriptWriter(path, fd, 0, transcriptGenesis(), o.clock ?? (() => new Date()));
    w.append('ceremony-start', start as unknown as JsonObject);
    fsyncDir(dirname(path));
    return w;
  }

  /**
   * Opens an existing, unsealed transcript to continue it. Its chain and sign-offs are verified
   * first. A torn last line is saved to `<file>.torn-<offset>` (exclusively), cut off, and
   * recorded as an `interruption` with its length and SHA-256.
   * @throws UsageError `TRANSCRIPT_SEALED` for a sealed transcript; whatever `verifyTranscript`
   *   throws for a broken one (nothing is changed then).
   */
  static reopen(path: string, o: TranscriptWriterOptions = {}): ReopenedTranscript {
    const bytes = readFileSync(path);
    let found: TranscriptVerification;
    try {
      found = verifyTranscript(bytes, { allowTornTail: true, allowUnsealed: true });
    } catch (e) {
      throw isCeremonyError(e) ? e.withFile(path) : e;
    }
    if (found.sealed)
      throw new UsageError('TRANSCRIPT_SEALED', 'the ceremony is sealed; nothing can be added', {
        file: path,
      });
    const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND);
    const w = new TranscriptWriter(path, fd, found.records, found.head, o.clock ?? (() => new Date()));
    const torn = found.tornTail;
    if (torn === undefined) return { writer: w, found };
    const savedAs = join(dirname(path), `${basename(path)}.torn-${torn.offset}`);
    writeFileExclusive(savedAs, bytes.subarray(torn.offset), 0o644, 'TRANSCRIPT_TORN_COPY_EXISTS');
    ftruncateSync(fd, torn.offset);
    fsyncSync(fd);
    w.append('interruption', {
      reason: 'torn-write',
      detail: `the last line was cut short by the interruption; its ${torn.bytes} bytes were removed and kept in ${basename(savedAs)}`,
      truncatedBytes: torn.bytes,
      truncatedSha256: torn.sha256,
    });
    return { writer: w, found, repaired: { ...torn, savedAs } };
  }

  /** Hash of the last record written. */
  get head(): string {
    return this.headHash;
  }

  /** Sequence number the next record gets (= records written so far). */
  get nextSeq(): number {
    return this.seq;
  }

  /**
   * Appends one record and fsyncs. `data` must hold only canonical JSON values (no floats).
   * @throws UsageError `TRANSCRIPT_CLOSED` after {@link close} or a failed write;
   *   `JSON_NOT_CANONICAL_VALUE` for data without a canonical form (nothing is written then).
   */
  append(kind: RecordKind, data: JsonObject, step?: string): AppendedRecord {
    if (this.closed)
      throw new UsageError('TRANSCRIPT_CLOSED', 'the transcript is closed', { file: this.path });
    const time = this.clock().toISOString();
    const line = encodeRecord({
      seq: this.seq,
      time,
      kind,
      ...(step === undefined ? {} : { step }),
      data,
      prev: this.headHash,
    });
    const bytes = utf8Encode(line + '\n');
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
      fsyncSync(this.fd);
    } catch (e) {
      this.close();
      throw e;
    }
    const record = { seq: this.seq, time, hash: lineHash(bytes.subarray(0, bytes.length - 1)) };
    this.seq++;
    this.headHash = record.hash;
    return record;
  }

  /** Closes the file; further appends are refused. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  /** True once closed (after a seal, an error, or {@link close}). */
  get isClosed(): boolean {
    return this.closed;
  }
}
