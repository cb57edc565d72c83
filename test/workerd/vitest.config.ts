import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineProject } from 'vitest/config';
import { unstable_readConfig } from 'wrangler';

const configPath = fileURLToPath(new URL('../../wrangler.toml', import.meta.url));

/**
 * wrangler.toml's [alias] (the Worker’s own zod, Neon and Upstash clients), which the pool does not
 * apply by itself: without it these tests would run the packages Node uses, not the
 * modules the deployed Worker is built from.
 */
const workerAliases = Object.entries(
  unstable_readConfig({ config: configPath }, { hideWarnings: true }).alias ?? {},
).map(([find, target]) => ({
  find: new RegExp(`^${find.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`),
  replacement: resolve(configPath, '..', String(target)),
}));

/** The Worker's Upstash settings when the global setup started the Upstash stand-in. */
function upstashBindings(upstash: { url: string; token: string; keyPrefix: string } | null): Record<string, string> {
  if (!upstash) return {};
  return {
    UPSTASH_REDIS_REST_URL: upstash.url,
    UPSTASH_REDIS_REST_TOKEN: upstash.token,
    KV_KEY_PREFIX: upstash.keyPrefix,
  };
}

/**
 * The Worker entry inside workerd, configured from wrangler.toml (so without
 * nodejs_compat for the Worker itself), talking to the Neon stand-in that the
 * global setup starts. Its URL only exists once the setup has run, hence the
 * options function and `inject`.
 */
export default defineProject({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath },
      miniflare: {
        bindings: {
          ...upstashBindings(inject('workerdUpstash')),
          APP_ENV: 'test',
          ACCESS_LOG: 'false',
          DATABASE_URL: inject('workerdDatabaseUrl'),
          NEON_HTTP_ENDPOINT: inject('workerdNeonEndpoint'),
          TEST_BACKEND: inject('workerdBackend'),
          ADMIN_EMAIL_FOR_TESTS: inject('workerdAdmin').email,
          ADMIN_PASSWORD_FOR_TESTS: inject('workerdAdmin').password,
          // wrangler.toml says production, which needs signing keys.
          JWT_SIGNING_KEYS: 'workerd:0123456789abcdef0123456789abcdef0123456789abcdef',
          // Low enough for a test to reach; the default is 10.
          RATE_LIMIT_LOGIN_PER_MINUTE: '5',
        },
      },
    })),
  ],
  resolve: { alias: workerAliases },
  test: {
    name: 'workerd',
    include: ['*.test.ts'],
    globalSetup: ['./global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
