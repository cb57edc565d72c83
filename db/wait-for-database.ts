import { classifyDbError, describeError } from './errors.ts';

export interface WaitForDatabaseOptions {
  /** Give up after this long (0: one try). */
  timeoutMs: number;
  /** First pause between tries; doubles up to `maxDelayMs`. Default 250 ms. */
  initialDelayMs?: number;
  /** Default 5 s. */
  maxDelayMs?: number;
  /**
   * Told before each pause, with the error that caused it and what a person reads:
   * `waiting for the database (try 3: ECONNREFUSED)`.
   */
  onRetry?: (retry: { attempt: number; delayMs: number; error: unknown; status: string }) => void;
  /** Ends the wait early (the process is stopping). */
  signal?: AbortSignal;
}

/** The database did not become available within the wait. */
export class DatabaseWaitTimeout extends Error {
  readonly attempts: number;
  constructor(attempts: number, waitedMs: number, cause: unknown) {
    super(`the database did not become available within ${Math.round(waitedMs / 1000)} s (${attempts} tries)`, {
      cause,
    });
    this.name = 'DatabaseWaitTimeout';
    this.attempts = attempts;
  }
}

/**
 * Runs `work` until it succeeds, pausing with capped, jittered exponential backoff
 * while it fails because the database is unavailable (refused, shutting down, timed
 * out). Any other error (a wrong password, a failed migration) ends the wait at once:
 * retrying would not help. Used by server start-up and the migration CLI alike.
 */
export async function untilDatabaseAvailable<T>(work: () => Promise<T>, options: WaitForDatabaseOptions): Promise<T> {
  const started = Date.now();
  const initial = options.initialDelayMs ?? 250;
  const max = options.maxDelayMs ?? 5_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (classifyDbError(error) !== 'unavailable' || options.signal?.aborted) throw error;
      const waited = Date.now() - started;
      if (waited >= options.timeoutMs) throw new DatabaseWaitTimeout(attempt, waited, error);
      const backoff = Math.min(initial * 2 ** (attempt - 1), max);
      // Replicas starting together should not retry in step.
      const delayMs = Math.min(Math.round(backoff * (0.75 + Math.random() * 0.5)), options.timeoutMs - waited);
      const { code, message } = describeError(error);
      const status = `waiting for the database (try ${attempt}: ${code ?? message})`;
      options.onRetry?.({ attempt, delayMs, error, status });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
