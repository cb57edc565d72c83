import { rmSync } from 'node:fs';
import { ensureWebBuild } from '../../dev/ensure-web-build.ts';
import { SCREENSHOT_DIR } from '../e2e/browser.ts';

/**
 * Builds the dashboard once per test run, before any project starts: the Worker's
 * static assets (workerd, wrangler dev) and the browser tests serve it. A fresh build
 * every run, so the tests never see a stale one. The browser tests' screenshots of an
 * earlier run are removed, so the folder shows this run only.
 */
export default async function setup(): Promise<void> {
  rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
  await ensureWebBuild({ force: true });
}
