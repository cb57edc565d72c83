/**
 * The part of `cloudflare:test` these tests use. The package's own declarations need
 * the full Workers types as globals, which clash with the Node types the rest of the
 * repository is checked with, so the one program `npm run check` builds declares only this.
 */
declare module 'cloudflare:test' {
  /** The Worker's bindings, as set in test/workerd/vitest.config.ts. */
  export const env: {
    APP_ENV: string;
    DATABASE_URL: string;
    NEON_HTTP_ENDPOINT: string;
    TEST_BACKEND: 'postgres' | 'pglite';
    ADMIN_EMAIL_FOR_TESTS: string;
    ADMIN_PASSWORD_FOR_TESTS: string;
    /** Set when TEST_REDIS_URL is (the Upstash stand-in in front of it); the key prefix is this run's. */
    UPSTASH_REDIS_REST_URL?: string;
    UPSTASH_REDIS_REST_TOKEN?: string;
    KV_KEY_PREFIX?: string;
    /** The dashboard build (wrangler.toml `[assets]`). */
    ASSETS: { fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> };
  };
  /** The Worker's default export (api/entries/worker.ts), called like a service binding. */
  export const SELF: { fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> };
}
