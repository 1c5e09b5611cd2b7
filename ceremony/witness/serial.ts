/**
 * A one-at-a-time queue: {@link Serial.run} runs its tasks strictly in call order, each after the
 * previous one settled. The witness signs inside it, so check-sign-record-append never interleaves
 * within a process (the state's transactions guard against a second process).
 */
export class Serial {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every task queued before it; resolves or rejects as `task` does. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task, task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
