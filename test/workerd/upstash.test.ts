import { env } from 'cloudflare:test';
import { describe } from 'vitest';
import { defineKeyValueContract } from '../../db/kv/contract.ts';
import { createUpstashStore } from '../../db/kv/upstash.ts';

// The key-value contract on the Worker's Upstash client (wrangler.toml [alias]), in workerd,
// through the Upstash stand-in to a real Redis.
const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token, KV_KEY_PREFIX: prefix } = env;

describe.skipIf(!url)(
  `key-value contract on the Worker’s Upstash client${url ? '' : ' (skipped: TEST_REDIS_URL is not set)'}`,
  () => {
    defineKeyValueContract(() => ({
      keyPrefix: `${prefix}contract:`,
      open: async (keyPrefix) => createUpstashStore({ url: url as string, token: token as string, keyPrefix }),
      wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    }));
  },
);
