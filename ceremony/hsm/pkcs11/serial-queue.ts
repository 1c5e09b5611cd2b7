/**
 * A promise queue: tasks run one at a time, in the order they were queued, whatever their callers
 * do in between. The PKCS#11 backend runs every call sequence to one module through one queue, so
 * multi-call operations (find → read → sign) never interleave, even across tokens of the module.
 */

/** Runs queued tasks strictly one after another. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Number of tasks queued or running. */
  get size(): number {
    return this.pending;
  }

  /**
   * Queues `task`; it starts when every task queued before it has settled. A task that throws
   * rejects its own promise only; later tasks still run.
   *
   * Precondition: `task` must not call `run` on the same queue and wait for it (that deadlocks).
   */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    this.pending += 1;
    const result = this.tail.then(task);
    const done = (): void => {
      this.pending -= 1;
    };
    this.tail = result.then(done, done);
    return result;
  }
}
