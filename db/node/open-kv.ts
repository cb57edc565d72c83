import { createMemoryStore } from '../kv/memory.ts';
import type { KeyValueSettings, KeyValueStore } from '../kv/port.ts';

/**
 * Opens the key-value store the configuration names (Node, Deno and Bun). The Redis
 * client loads lazily, so a process without REDIS_URL never pays for it.
 */
export async function openKeyValueStore(
  config: KeyValueSettings,
  options: { onError?: (error: Error) => void } = {},
): Promise<KeyValueStore> {
  switch (config.driver) {
    case 'upstash': {
      const { createUpstashStore } = await import('../kv/upstash.ts');
      return createUpstashStore({ ...required(config.upstash, 'UPSTASH_REDIS_REST_URL'), keyPrefix: config.keyPrefix });
    }
    case 'redis': {
      const { openRedisStore } = await import('./kv-redis.ts');
      return openRedisStore({
        url: required(config.redisUrl, 'REDIS_URL'),
        keyPrefix: config.keyPrefix,
        onError: options.onError,
      });
    }
    case 'memory':
      return createMemoryStore({ keyPrefix: config.keyPrefix });
  }
}

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new Error(`${field} is required for this key-value driver`);
  return value;
}
