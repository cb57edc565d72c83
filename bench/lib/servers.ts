import { EnvSchema } from '../../api/config.ts';
import { freePort, spawnTs, waitForHttp } from '../../dev/child-process.ts';
import type { SectionContext } from './section.ts';

/** The parent's environment without any of the app's own settings, so only the bench's choices apply. */
export function childEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(EnvSchema.shape)) delete env[key];
  return { ...env, ...settings };
}

/** Process ids of the servers started, by origin: the load runner reads their CPU time. */
const pids = new Map<string, number>();

/** The process id of the server at `origin`, if this bench started it. */
export const serverPid = (origin: string) => pids.get(origin);

/**
 * Starts a server process (stopped by the section's teardown) and waits until it is
 * ready; returns its origin. `echo: false` keeps a server's output (its access log)
 * off the bench's stderr.
 */
export async function startServer(
  context: SectionContext,
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  options: { echo?: boolean } = {},
) {
  const port = await freePort();
  const child = spawnTs(name, entry, {
    env: { ...env, HOST: '127.0.0.1', PORT: String(port) },
    echo: options.echo ?? true,
  });
  context.defer(`stop ${name}`, () => child.stop());
  const origin = `http://127.0.0.1:${port}`;
  await waitForHttp(child, `${origin}/health/ready`);
  if (child.process.pid) pids.set(origin, child.process.pid);
  return origin;
}
