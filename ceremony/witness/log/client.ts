/**
 * Reading a witness log as a client or monitor does: fetch the signed checkpoint and verify it
 * against the pinned verifier key, then fetch tiles and build inclusion and consistency proofs
 * locally. Every result is checked against a signed root before it is returned, so a lying server
 * or CDN is caught (`LOG_TILES_INVALID`), not believed.
 *
 * Portable: no `node:` imports (the source decides where bytes come from).
 */
import { UsageError, VerificationError } from '../../errors.js';
import {
  MAX_NOTE_BYTES,
  TILE_WIDTH,
  checkConsistency,
  checkInclusion,
  entryBundleForIndex,
  formatEntriesPath,
  formatTlogProof,
  hashLeaf,
  hashesEqual,
  openCheckpoint,
  parseEntryBundle,
  proveRecord,
  proveTree,
  storedHashIndex,
  treeHash,
} from '../../tlog/index.js';
import type { EntryBundle, TreeInt, Verifier } from '../../tlog/index.js';
import { TileFetcher } from './client-tiles.js';
import type { LogSource } from './client-source.js';
import type { LogUsageErrorCode, LogVerificationErrorCode } from './codes.js';
import { CHECKPOINT_PATH } from './log-tiles.js';
import { toPosition } from './log-tree.js';

/** A checkpoint whose log signature verified. */
export interface VerifiedCheckpoint {
  /** The signed note, verbatim. */
  readonly note: string;
  readonly origin: string;
  readonly size: bigint;
  readonly rootHash: Uint8Array;
}

/** Entry bundles kept per client (a bundle of small entries is a few KB). */
const MAX_CACHED_BUNDLES = 64;

/** Largest entry bundle: 256 entries of 2 + 65535 bytes. */
const MAX_BUNDLE_BYTES = TILE_WIDTH * (2 + 0xffff);

function tilesInvalid(message: string, cause?: unknown): VerificationError {
  return new VerificationError<LogVerificationErrorCode>('LOG_TILES_INVALID', message, {
    field: 'tiles',
    cause,
  });
}

/** A verifying reader of one tiled log. */
export class LogClient {
  readonly source: LogSource;
  readonly verifier: Verifier;
  readonly #tiles: TileFetcher;
  readonly #bundles = new Map<string, Uint8Array[]>();

  /**
   * @param source - where to read (see openLogSource).
   * @param verifier - the log's key; its name is the log's origin.
   */
  constructor(source: LogSource, verifier: Verifier) {
    this.source = source;
    this.verifier = verifier;
    this.#tiles = new TileFetcher(source);
  }

  /** The log's origin (the verifier key's name). */
  get origin(): string {
    return this.verifier.name;
  }

  /**
   * Verifies a signed checkpoint of this log (origin and log signature).
   * @throws MalformedError / VerificationError as `openCheckpoint`.
   */
  verifyCheckpoint(note: string | Uint8Array): VerifiedCheckpoint {
    const opened = openCheckpoint(note, [this.verifier], { origin: this.origin });
    const text = typeof note === 'string' ? note : new TextDecoder().decode(note);
    const { origin, size, rootHash } = opened.checkpoint;
    return { note: text, origin, size, rootHash };
  }

  /**
   * Fetches `checkpoint` and verifies it.
   * @throws UsageError `LOG_RESOURCE_MISSING`; as {@link verifyCheckpoint}.
   */
  async fetchCheckpoint(): Promise<VerifiedCheckpoint> {
    const bytes = await this.source.read(CHECKPOINT_PATH, MAX_NOTE_BYTES);
    if (bytes === undefined) {
      throw new UsageError<LogUsageErrorCode>('LOG_RESOURCE_MISSING', 'checkpoint: not found', {
        file: this.source.location,
      });
    }
    return this.verifyCheckpoint(bytes);
  }

  /**
   * Root hash of the first `size` entries, from the tiles of the tree of `cp`, after checking
   * that those tiles reproduce `cp`'s root. Requires size <= cp.size.
   *
   * @throws VerificationError `LOG_TILES_INVALID` if the tiles do not hash to cp's root.
   */
  async rootHash(size: TreeInt, cp: VerifiedCheckpoint): Promise<Uint8Array> {
    const n = toPosition(size, 'size');
    const t = toPosition(cp.size, 'checkpoint.size');
    const [root, prefix] = await this.#tiles.withHashes(t, (r) => [treeHash(t, r), treeHash(n, r)]);
    if (!hashesEqual(root, cp.rootHash)) {
      throw tilesInvalid(
        `the tiles of size ${t} at ${this.source.location} do not hash to the checkpoint's root`,
      );
    }
    return prefix;
  }

  /**
   * The inclusion proof of entry `index` in the tree of `cp`, built from tiles and checked.
   * @throws VerificationError `LOG_TILES_INVALID` if it does not verify against cp's root.
   */
  async inclusionProof(
    index: TreeInt,
    cp: VerifiedCheckpoint,
  ): Promise<{ leafHash: Uint8Array; proof: Uint8Array[] }> {
    const i = toPosition(index, 'index');
    const t = toPosition(cp.size, 'checkpoint.size');
    const [leafHash, proof] = await this.#tiles.withHashes(
      t,
      (r) => [r([storedHashIndex(0, i)])[0]!, proveRecord(t, i, r)] as const,
    );
    try {
      checkInclusion(leafHash, i, t, proof, cp.rootHash);
    } catch (e) {
      throw tilesInvalid(
        `the tiles at ${this.source.location} give an inclusion proof of entry ${i} that does not verify`,
        e,
      );
    }
    return { leafHash, proof };
  }

  /**
   * The consistency proof from the tree of `size1` entries to that of `cp`, built from tiles, and
   * the root of the smaller tree those tiles imply. Requires 0 < size1 <= cp.size.
   * @throws VerificationError `LOG_TILES_INVALID` if the tiles do not hash to cp's root.
   */
  async consistencyProof(
    size1: TreeInt,
    cp: VerifiedCheckpoint,
  ): Promise<{ oldRoot: Uint8Array; proof: Uint8Array[] }> {
    const m = toPosition(size1, 'size1');
    const t = toPosition(cp.size, 'checkpoint.size');
    const [root, oldRoot, proof] = await this.#tiles.withHashes(
      t,
      (r) => [treeHash(t, r), treeHash(m, r), proveTree(m, t, r)] as const,
    );
    if (!hashesEqual(root, cp.rootHash)) {
      throw tilesInvalid(
        `the tiles of size ${t} at ${this.source.location} do not hash to the checkpoint's root`,
      );
    }
    try {
      checkConsistency(m, t, oldRoot, cp.rootHash, proof);
    } catch (e) {
      throw tilesInvalid(
        `the tiles at ${this.source.location} give a consistency proof that does not verify`,
        e,
      );
    }
    return { oldRoot, proof };
  }

  /**
   * Entry `index` of the tree of `cp`, from its entry bundle, checked by inclusion in cp.
   * @throws VerificationError `LOG_TILES_INVALID` if the entry is not the one the tree holds.
   */
  async entry(index: TreeInt, cp: VerifiedCheckpoint): Promise<Uint8Array> {
    const i = toPosition(index, 'index');
    return (await this.entries(i, i + 1, cp))[0]!;
  }

  /**
   * Entries [start, end) of the tree of `cp`, each checked by an inclusion proof against cp's
   * root. Each entry bundle and tile is fetched once, so reading a whole log costs one fetch per
   * 256 entries. Requires start <= end <= cp.size.
   *
   * @throws UsageError `LOG_INDEX_OUT_OF_RANGE`, `LOG_RESOURCE_MISSING`; MalformedError
   *   `ENTRY_BUNDLE_MALFORMED`; VerificationError `LOG_TILES_INVALID` for an entry that is not the
   *   one the tree holds.
   */
  async entries(start: TreeInt, end: TreeInt, cp: VerifiedCheckpoint): Promise<Uint8Array[]> {
    const s = toPosition(start, 'start');
    const e = toPosition(end, 'end');
    if (s > e || BigInt(e) > cp.size) {
      throw new UsageError<LogUsageErrorCode>(
        'LOG_INDEX_OUT_OF_RANGE',
        `entries [${s}, ${e}): want start <= end <= the checkpoint size ${cp.size}`,
        { field: 'end' },
      );
    }
    const out: Uint8Array[] = [];
    for (let i = s; i < e; i++) {
      const bundle = entryBundleForIndex(i, cp.size);
      const entry = (await this.#bundle(bundle))[i - bundle.n * TILE_WIDTH];
      const { leafHash } = await this.inclusionProof(i, cp);
      if (entry === undefined || !hashesEqual(hashLeaf(entry), leafHash)) {
        throw tilesInvalid(
          `entry ${i} in ${formatEntriesPath(bundle)} does not hash to its leaf in the tree`,
        );
      }
      out.push(entry);
    }
    return out;
  }

  /** The entries of `bundle` (or of the full bundle that replaced it), fetched once. */
  async #bundle(bundle: EntryBundle): Promise<Uint8Array[]> {
    const path = formatEntriesPath(bundle);
    const hit = this.#bundles.get(path);
    if (hit !== undefined) return hit;
    let data = await this.source.read(path, MAX_BUNDLE_BYTES);
    if (data === undefined && bundle.width < TILE_WIDTH) {
      data = await this.source.read(formatEntriesPath({ ...bundle, width: TILE_WIDTH }), MAX_BUNDLE_BYTES);
    }
    if (data === undefined) {
      throw new UsageError<LogUsageErrorCode>('LOG_RESOURCE_MISSING', 'not found', { file: path });
    }
    const entries = parseEntryBundle(data);
    if (this.#bundles.size >= MAX_CACHED_BUNDLES) this.#bundles.clear();
    this.#bundles.set(path, entries);
    return entries;
  }

  /**
   * A C2SP tlog-proof of entry `index` against `cp`, built from tiles and checked.
   * @throws as {@link inclusionProof}.
   */
  async tlogProof(index: TreeInt, cp: VerifiedCheckpoint): Promise<string> {
    const { proof } = await this.inclusionProof(index, cp);
    return formatTlogProof({ index: toPosition(index, 'index'), proof, checkpoint: cp.note });
  }
}
