/**
 * Group commit: appends from many concurrent async callers (the HTTP server's requests) are queued
 * and written together, one transaction (one fsync) per turn of the event loop, in arrival order.
 * Each caller's promise settles only after the transaction holding its entries has committed, so
 * an acknowledged entry is durable; if a transaction fails, every caller in it is rejected and
 * none of their entries is stored.
 */

interface Pending<T> {
  readonly items: readonly T[];
  resolve(first: number): void;
  reject(error: unknown): void;
}

/** Writes a group of items atomically and durably; returns the position of the first item. */
export type CommitGroup<T> = (items: readonly T[]) => number;

/** A FIFO of pending appends, flushed in groups of at most `maxItems` items. */
export class GroupCommitQueue<T> {
  readonly #commit: CommitGroup<T>;
  readonly #maxItems: number;
  #pending: Pending<T>[] = [];
  #scheduled = false;

  /**
   * @param commit - writes one group; must be atomic and durable when it returns.
   * @param maxItems - most items per group (a single submission larger than this is its own group).
   */
  constructor(commit: CommitGroup<T>, maxItems: number) {
    this.#commit = commit;
    this.#maxItems = maxItems;
  }

  /** Number of submissions waiting for their group to commit. */
  get pending(): number {
    return this.#pending.length;
  }

  /**
   * Queues `items` (validated by the caller) to be written in a later group.
   * @returns the position of the first item, once its group has committed.
   */
  submit(items: readonly T[]): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.#pending.push({ items, resolve, reject });
      this.#schedule();
    });
  }

  /** Rejects every queued submission with `error` (on close). */
  rejectAll(error: unknown): void {
    const pending = this.#pending;
    this.#pending = [];
    for (const p of pending) p.reject(error);
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // setImmediate: after the I/O callbacks of this turn, so requests that arrived together
    // share one transaction.
    setImmediate(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    while (this.#pending.length > 0) {
      const group: Pending<T>[] = [];
      let count = 0;
      while (this.#pending.length > 0) {
        const next = this.#pending[0]!;
        if (group.length > 0 && count + next.items.length > this.#maxItems) break;
        group.push(this.#pending.shift()!);
        count += next.items.length;
      }
      const items = group.length === 1 ? group[0]!.items : group.flatMap((p) => p.items);
      let first: number;
      try {
        first = this.#commit(items);
      } catch (e) {
        for (const p of group) p.reject(e);
        continue;
      }
      let at = first;
      for (const p of group) {
        p.resolve(at);
        at += p.items.length;
      }
    }
  }
}
