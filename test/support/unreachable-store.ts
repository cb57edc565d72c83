import type { KeyValueStore } from '../../db/kv/port.ts';

/**
 * A key-value store whose every command fails the way an unreachable Redis fails.
 * Tests use it to show what the app does while its store is down.
 */
export function unreachableStore(): KeyValueStore & { calls: number } {
  const store = {
    kind: 'redis' as const,
    calls: 0,
    get: fail,
    mget: fail,
    set: fail,
    del: fail,
    incr: fail,
    ping: fail,
    close: async () => {},
  };
  async function fail(): Promise<never> {
    store.calls += 1;
    throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
  }
  return store;
}
