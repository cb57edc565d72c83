/**
 * Builds the dashboard when there is no build yet (`npm start` runs this first, so a
 * fresh checkout serves the dashboard with no extra step). `npm run build:web` rebuilds
 * it after changes; container images build it in their build stage.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { WEB_DIST } from '../web/vite.config.ts';

export async function ensureWebBuild(options: { force?: boolean } = {}): Promise<void> {
  if (!options.force && existsSync(join(WEB_DIST, 'index.html'))) return;
  console.log('Building the dashboard (first start)…');
  await build({ configFile: join(import.meta.dirname, '../web/vite.config.ts'), logLevel: 'warn' });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureWebBuild();
}
