import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const routeTests = [
  'api/**/*.test.ts',
  'jobs/**/*.test.ts',
  'core/**/*.test.ts',
  'db/**/*.test.ts',
  'vocabulary/**/*.test.ts',
];
// No log line of a test may carry a secret: the harness's loggers and every child server are checked.
const logGuard = ['test/support/log-guard-setup.ts'];

/**
 * Loads an inlined package's files without their `sourceMappingURL` comments: its maps
 * point at sources it does not ship, and Vite would warn once per file.
 */
function withoutDependencySourceMaps(name: string): Plugin {
  const marker = `/node_modules/${name}/`;
  return {
    name: 'without-dependency-source-maps',
    enforce: 'pre',
    load(id) {
      const file = id.split('?')[0] as string;
      if (!file.includes(marker) || !file.endsWith('.js')) return null;
      return { code: readFileSync(file, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/gm, ''), map: null };
    },
  };
}

export default defineConfig({
  test: {
    // `npm run coverage` (CI): V8 coverage of the product's code, per project, with floors.
    coverage: {
      provider: 'v8',
      // The server's code; the web project's run passes the dashboard's (web/src) instead.
      include: ['api/**', 'jobs/**', 'core/**', 'db/**', 'vocabulary/**'],
      exclude: ['**/*.test.{ts,tsx}', 'web/src/test/**', 'db/migrations/**', '**/*.css'],
      reporter: ['text-summary', 'json-summary', 'html'],
    },
    // Builds the dashboard once, before any project: the Worker's static assets (workerd,
    // wrangler dev) and the browser tests serve it.
    globalSetup: ['test/support/web-build-global-setup.ts'],
    projects: [
      {
        // Route and data tests on the embedded PGlite: always run, no services needed.
        test: {
          name: 'pglite',
          setupFiles: logGuard,
          include: routeTests,
          env: { TEST_DB: 'pglite' },
          // One PGlite per worker, shared by its files (a cold start costs seconds).
          isolate: false,
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The same tests on a real Postgres when TEST_DATABASE_URL is set; skipped, saying why, otherwise.
        test: {
          name: 'postgres',
          setupFiles: logGuard,
          include: routeTests,
          env: { TEST_DB: 'postgres' },
          globalSetup: ['test/support/postgres-global-setup.ts'],
          isolate: false,
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      'test/workerd/vitest.config.ts',
      // The dashboard's component tests (jsdom), against a real API server.
      'web/vite.config.ts',
      {
        // The dashboard in a real Chromium, from the Node entry and from wrangler dev.
        test: {
          name: 'e2e',
          setupFiles: logGuard,
          include: ['test/e2e/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The deployment artifacts: the Dockerfile (and the image's command run as the
        // container would run it), wrangler environments, CI workflows.
        plugins: [withoutDependencySourceMaps('@actions/workflow-parser')],
        test: {
          name: 'deploy',
          setupFiles: logGuard,
          include: ['test/deploy/*.test.ts'],
          globalSetup: ['test/support/node-bundle-global-setup.ts'],
          // Imports its JSON schema without an import attribute, which Node's loader refuses.
          server: { deps: { inline: ['@actions/workflow-parser'] } },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The black-box HTTP suite against the Node entry and the Worker entry.
        test: {
          name: 'conformance',
          setupFiles: logGuard,
          include: [
            'test/conformance/*.test.ts',
            // Process lifecycle of the Node entry (graceful shutdown).
            'test/lifecycle/*.test.ts',
            'test/neon-stand-in.test.ts',
            'test/qstash-stand-in.test.ts',
            'test/upstash-stand-in.test.ts',
          ],
          // Vite overwrites BASE_URL inside tests; pass the user's value on under another name.
          env: { CONFORMANCE_BASE_URL: process.env.BASE_URL ?? '' },
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Dependency faults: the Node entry on a Postgres and a Redis of its own, each stopped,
        // frozen and restarted under load (skipped, saying why, without the server binaries).
        // Run after every other project: its load would slow theirs on a small machine, and
        // theirs would blur the times it reports.
        test: {
          name: 'faults',
          sequence: { groupOrder: 1 },
          setupFiles: logGuard,
          include: ['test/faults/*.test.ts'],
          testTimeout: 240_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The Helm chart linted and rendered by helm 4.1 (`npm run helm:install`) and checked against
        // Kubernetes schemas; its backup script against Postgres.
        test: {
          name: 'chart',
          setupFiles: logGuard,
          include: ['k8s/test/*.test.ts'],
          exclude: ['k8s/test/pitr.test.ts'],
          globalSetup: ['k8s/test/renderer-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Point-in-time recovery on Postgres clusters of its own: WAL archiving with the chart's
        // archive_timeout, the app writing, clusters restored from the archive (skipped, saying
        // why, without the server binaries). After the faults: its load would slow the other
        // projects and blur the faults' times.
        test: {
          name: 'recovery',
          sequence: { groupOrder: 2 },
          setupFiles: logGuard,
          include: ['k8s/test/pitr.test.ts'],
          globalSetup: ['k8s/test/renderer-global-setup.ts'],
          testTimeout: 240_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
