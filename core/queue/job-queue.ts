/**
 * How queued jobs reach a worker. Jobs are rows in Postgres first (written in the
 * same statement as whatever caused them); the queue only delivers.
 */
export interface JobQueue {
  readonly kind: 'qstash' | 'dispatcher' | 'none';
  /** Hands newly queued jobs to the delivery mechanism. Cheap and safe to call often. */
  flush(): Promise<void>;
}

/** Delivery by the in-process dispatcher: flushing just wakes it. */
export function dispatcherQueue(wake: () => void = () => {}): JobQueue {
  return {
    kind: 'dispatcher',
    async flush() {
      wake();
    },
  };
}

/** No delivery configured (a Worker without QStash): jobs stay queued until one is. */
export function unconfiguredQueue(warn: (message: string) => void): JobQueue {
  let warned = false;
  return {
    kind: 'none',
    async flush() {
      if (warned) return;
      warned = true;
      warn('no job delivery is configured (set the QSTASH_* settings): jobs stay queued');
    },
  };
}
