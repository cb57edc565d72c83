/**
 * Builds the dashboard when there is no build yet (`npm start` runs this first, so a
 * fresh checkout serves the dashboard with no extra step). `npm run build:web` rebuilds
 * it after changes; container images build it in their build stage.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { API_REFERENCE_SCRIPT } from '../vocabulary/paths.ts';
import { WEB_DIST } from '../web/dist-dir.ts';

export async function ensureWebBuild(options: { force?: boolean } = {}): Promise<void> {
  // A build from before the API reference's script was part of it counts as no build.
  const complete = existsSync(join(WEB_DIST, 'index.html')) && existsSync(join(WEB_DIST, API_REFERENCE_SCRIPT));
  if (!options.force && complete) return;
  console.log('Building the dashboard (first start)…');
  // Loaded only to build: vite and the dashboard's config cost most of a second to import.
  const { build } = await import('vite');
  await build({ configFile: join(import.meta.dirname, '../web/vite.config.ts'), logLevel: 'warn' });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureWebBuild();
}
