/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so
 * retries of many jobs that failed together spread out instead of stampeding.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (exponential / 2) * random());
}
