/**
 * Builds the dashboard when there is no build yet, or when its sources changed since
 * the last one (a `git pull`, an edit): `npm start` runs this first, so a checkout
 * always serves the dashboard its sources describe, with no extra step. Container
 * images build it in their build stage and run the entry directly.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_REFERENCE_SCRIPT } from '../vocabulary/paths.ts';
import { WEB_DIST } from '../web/dist-dir.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** What the build reads: the dashboard, the vocabulary it imports, and the installed packages. */
const SOURCES = ['web/src', 'web/public', 'web/index.html', 'web/vite.config.ts', 'vocabulary', 'package-lock.json'];

/** The newest modification time under `path` (a file or a folder, recursively), or 0 when absent. */
function newestChange(path: string): number {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

/** Why the dashboard needs building, or undefined when the build is current. */
export function staleReason(dist = WEB_DIST, root = ROOT): string | undefined {
  const index = join(dist, 'index.html');
  // A build from before the API reference's script was part of it counts as no build.
  if (!existsSync(index) || !existsSync(join(dist, API_REFERENCE_SCRIPT))) return 'first start';
  const built = statSync(index).mtimeMs;
  const changed = SOURCES.find((source) => newestChange(join(root, source)) > built);
  return changed ? `${changed} changed since the last build` : undefined;
}

export async function ensureWebBuild(options: { force?: boolean } = {}): Promise<void> {
  const reason = options.force ? 'forced' : staleReason();
  if (!reason) return;
  console.log(`Building the dashboard (${reason})…`);
  // Loaded only to build: vite and the dashboard's config cost most of a second to import.
  const { build } = await import('vite');
  await build({ configFile: fileURLToPath(new URL('../web/vite.config.ts', import.meta.url)), logLevel: 'warn' });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureWebBuild();
}
