import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import solid from 'vite-plugin-solid';
import { defineConfig } from 'vitest/config';
import { API_REFERENCE_SCRIPT } from '../vocabulary/paths.ts';
import { WEB_DIST } from './dist-dir.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

export { WEB_DIST };

/**
 * The API reference's browser bundle (@scalar/api-reference, one self-contained script),
 * shipped with the dashboard's files so `/docs` loads nothing from another origin: on Node
 * the app's file server and on Workers the static assets serve it.
 */
function apiReferenceScript(): Plugin {
  // The package exports no path to it: it sits beside the main entry, in dist/browser/.
  const main = createRequire(import.meta.url).resolve('@scalar/api-reference');
  const source = join(dirname(main), 'browser/standalone.js');
  return {
    name: 'edgeplane-api-reference-script',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: API_REFERENCE_SCRIPT.slice(1), source: readFileSync(source) });
    },
  };
}

// The API the dev server forwards to (`npm run dev` listens on 8787).
const api = process.env.API_URL ?? 'http://127.0.0.1:8787';

export default defineConfig({
  root,
  plugins: [solid(), apiReferenceScript()],
  build: {
    outDir: WEB_DIST,
    emptyOutDir: true,
    target: 'es2022',
    // Bundle-size report: `npm run build:web` prints each chunk with its gzip size.
    reportCompressedSize: true,
    // The module graph, for `npm run size:web` (the initial-load budget).
    manifest: true,
  },
  server: {
    // `/health/` with its slash: `/health` itself is the dashboard's health page.
    proxy: Object.fromEntries(['/api', '/health/', '/metrics', '/openapi.json', '/docs'].map((p) => [p, api])),
  },
  test: {
    name: 'web',
    environment: 'jsdom',
    include: ['src/**/*.test.tsx'],
    setupFiles: ['src/test/setup.ts'],
    globalSetup: ['src/test/api-server.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
