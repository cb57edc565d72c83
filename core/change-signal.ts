/**
 * Wakes whoever waits for new changes (the change feed's streams) when the database
 * says some committed: one signal per process, fed by LISTEN where the driver can hold
 * a session. Waiters also wake after their own timeout, so a lost notification only
 * delays, never stalls, them.
 */
export interface ChangeSignal {
  /** Resolves on the next `notify()`, after `timeoutMs`, or when `signal` aborts. */
  wait(timeoutMs: number, signal: AbortSignal): Promise<void>;
  notify(): void;
}

export function createChangeSignal(): ChangeSignal {
  let waiters = new Set<() => void>();
  return {
    wait(timeoutMs, signal) {
      return new Promise((resolve) => {
        if (signal.aborted) return resolve();
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        signal.addEventListener('abort', done, { once: true });
        waiters.add(done);
      });
    },
    notify() {
      const woken = waiters;
      waiters = new Set();
      for (const wake of woken) wake();
    },
  };
}
