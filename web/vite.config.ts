import { fileURLToPath } from 'node:url';
import solid from 'vite-plugin-solid';
import { defineConfig } from 'vitest/config';
import { WEB_DIST } from './dist-dir.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

export { WEB_DIST };

// The API the dev server forwards to (`npm run dev` listens on 8787).
const api = process.env.API_URL ?? 'http://127.0.0.1:8787';

export default defineConfig({
  root,
  plugins: [solid()],
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
