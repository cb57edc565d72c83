import { createClient } from 'redis';

export interface RedisTarget {
  url: string | undefined;
  /** For describe titles: says why the tests are skipped when they are. */
  label: string;
  skip: boolean;
}

/**
 * The real Redis for tests: TEST_REDIS_URL (`.ci/run` sets it). The route-test projects
 * (pglite, postgres) share their files, so Redis-backed tests there run in the pglite one
 * only, instead of twice against the same server.
 */
export function redisTarget(name: string): RedisTarget {
  const url = process.env.TEST_REDIS_URL || undefined;
  if (!url) return { url, label: `${name} (skipped: TEST_REDIS_URL is not set)`, skip: true };
  if (process.env.TEST_DB === 'postgres') {
    return { url, label: `${name} (skipped: runs once, in the pglite project)`, skip: true };
  }
  return { url, label: name, skip: false };
}

/** A key prefix of this test run alone, so parallel runs and leftovers never collide. */
export function testKeyPrefix(): string {
  return `edgeplane-test:${crypto.randomUUID().slice(0, 12)}:`;
}

/** Deletes every key under `prefix` (a test run's leftovers); returns how many. */
export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<number> {
  const client = createClient({ url });
  await client.connect();
  try {
    let deleted = 0;
    // The prefix is random hex and colons, so it is safe as a MATCH pattern as it is.
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      if (keys.length) deleted += await client.unlink(keys);
    }
    return deleted;
  } finally {
    await client.close();
  }
}
