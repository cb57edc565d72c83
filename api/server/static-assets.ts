import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import type { AssetFetcher } from '../../core/deps.ts';

/** Vite puts content-hashed files under /assets: a changed file gets a new name, so they never go stale. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current hashed files: always revalidate it, or a deploy is not seen. */
const REVALIDATE = 'no-cache';
/** Unhashed files from public/ (favicon, theme script). */
const SHORT = 'public, max-age=3600';

function cacheFor(path: string, contentType: string): string {
  if (path.startsWith('/assets/')) return IMMUTABLE;
  return contentType.startsWith('text/html') ? REVALIDATE : SHORT;
}

/**
 * The dashboard's files from a directory, the way Workers static assets serve them:
 * hashed assets cached for a year, index.html revalidated, and any other page path
 * answered with index.html (the client-side router takes it from there), except
 * paths that name a file (a missing /assets/x.js is a 404, not a page).
 * Returns undefined when the directory holds no build.
 */
export function staticAssets(root: string): AssetFetcher | undefined {
  if (!root || !existsSync(join(root, 'index.html'))) return undefined;
  const files = new Hono();
  files.use(compress());
  files.use(async (c, next) => {
    await next();
    if (c.res.ok) c.res.headers.set('Cache-Control', cacheFor(c.req.path, c.res.headers.get('content-type') ?? ''));
  });
  files.use(serveStatic({ root }));
  files.get('*', async (c, next) => {
    if (/\.[a-z0-9]+$/i.test(c.req.path)) return c.notFound();
    return serveStatic({ root, path: 'index.html' })(c, next);
  });
  files.notFound(
    () => new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=UTF-8' } }),
  );
  return { fetch: async (request) => files.fetch(request) };
}
