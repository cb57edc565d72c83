// @ts-check
/**
 * `npm start`: brings the Node bundle and the dashboard build up to date with their
 * sources (building either only when it is missing or stale), then runs the Node entry
 * from the bundle in this same process. Plain JavaScript, run by Node directly: no
 * TypeScript loader, and no second process, on the way to the server.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLE_DIR, ensureNodeBundle } from './node-bundle.mjs';

await ensureNodeBundle();
// By URL: the bundle is build output, not a source to type-check.
const bundled = (/** @type {string} */ name) => import(pathToFileURL(join(BUNDLE_DIR, `${name}.js`)).href);
const { ensureWebBuild } = await bundled('ensure-web-build');
await ensureWebBuild();
await bundled('node');
