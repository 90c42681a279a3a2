/**
 * Wakes subscriptions after commits. `version` moves on every commit, so a reader that took the
 * version before reading never misses a commit that happened while it read.
 */
export class CommitNotifier {
  private current = 0;
  private waiters = new Set<() => void>();

  get version(): number {
    return this.current;
  }

  notify(): void {
    this.current += 1;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Resolves on the next commit after `since`, after `timeoutMs` (if given), or when `signal` aborts. */
  wait(since: number, signal: AbortSignal, timeoutMs?: number): Promise<void> {
    if (this.current !== since || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        if (timer) clearTimeout(timer);
        resolve();
      };
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
      if (timeoutMs !== undefined) timer = setTimeout(done, timeoutMs);
    });
  }
}
