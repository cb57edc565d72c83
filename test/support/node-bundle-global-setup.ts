import { ensureNodeBundle } from '../../dev/node-bundle.mjs';

/**
 * Builds the Node bundle (dist/node) before the deployment tests when it is missing or
 * older than its sources: the container test runs the image's command, which starts it.
 */
export default async function setup(): Promise<void> {
  await ensureNodeBundle();
}
