/** What `beforeDeadline` gives when the work did not settle in time. */
export const LATE: unique symbol = Symbol('late');

/**
 * `work`'s value, or LATE once `ms` have passed without it; a rejection before then is
 * passed on. The timer is cleared either way, and work that comes in late still runs to
 * its end (the caller decides what its outcome is worth). In the lowest tier of code, so
 * the key-value stores, the job queue and the routes share it.
 */
export async function beforeDeadline<T>(work: Promise<T>, ms: number): Promise<T | typeof LATE> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(resolve, ms, LATE);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
