import { ensureWebBuild } from '../../dev/ensure-web-build.ts';

/**
 * Builds the dashboard once per test run, before any project starts: the Worker's
 * static assets (workerd, wrangler dev) and the browser tests serve it. A fresh build
 * every run, so the tests never see a stale one.
 */
export default async function setup(): Promise<void> {
  await ensureWebBuild({ force: true });
}
