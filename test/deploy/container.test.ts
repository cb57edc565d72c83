import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, REPO_ROOT, waitForHttp } from '../../dev/child-process.ts';
import { createScratchDatabase } from '../../dev/scratch-database.ts';
import { envOf, execForm, instructionsOf, readDockerfile } from './dockerfile.ts';

/**
 * The runtime stage's CMD and HEALTHCHECK, run as the container runs them (no Docker
 * engine here): the image's ENV with /app mapped to this checkout, its numeric user
 * when this process may switch to it, HOME unset and TMPDIR unwritable (a read-only
 * root), and the configured database.
 */
const { final } = readDockerfile(REPO_ROOT);
const [uid, gid] = (instructionsOf(final, 'USER').at(-1)?.getArgumentsContent() ?? '').split(':').map(Number);

/** The image's user can read this checkout when every directory above it is world-readable. */
function worldReadable(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o005) !== 0o005) return false;
    if (dirname(dir) === dir) return true;
  }
}
const asImageUser = process.getuid?.() === 0 && uid !== undefined && worldReadable(REPO_ROOT);
const who = asImageUser ? `as uid ${uid}` : 'as this user (switching to the image user needs root)';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function run(
  argv: string[],
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  const [command = 'node', ...args] = argv;
  const child = spawn(command === 'node' ? process.execPath : command, args, {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asImageUser ? { uid, gid } : {}),
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('container command', () => {
  it(`Should serve, pass its HEALTHCHECK and stop with exit 0 on its STOPSIGNAL, ${who}, with nowhere to write`, {
    timeout: 150_000,
  }, async () => {
    const port = await freePort();
    const imageEnv = Object.fromEntries(
      Object.entries(envOf(final)).map(([key, value]) => [
        key,
        value.replace(/^\/app(?=\/|$)/, REPO_ROOT.replace(/\/$/, '')),
      ]),
    );
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      ...imageEnv,
      HOST: '127.0.0.1',
      PORT: String(port),
      HOME: '/nonexistent',
      // Under /proc nothing can be created: a write to the temporary directory fails.
      TMPDIR: '/proc/edgeplane-read-only',
      APP_ENV: 'production',
      JWT_SIGNING_KEYS: 'container:0123456789abcdef0123456789abcdef0123456789abcdef',
      ACCESS_LOG: 'false',
    };
    if (process.env.TEST_DATABASE_URL) {
      const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL, 'edgeplane_container');
      cleanups.push(scratch.drop);
      Object.assign(env, { DATABASE_URL: scratch.url, MIGRATE_ON_START: 'true' });
    } else {
      // No Postgres here: the embedded database, in a directory the image user may write.
      const dataDir = mkdtempSync(join(tmpdir(), 'edgeplane-container-'));
      chmodSync(dataDir, 0o777);
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      env.DATA_DIR = dataDir;
    }

    const [cmd] = instructionsOf(final, 'CMD');
    const server = run(execForm(cmd as NonNullable<typeof cmd>), env);
    cleanups.push(() => server.child.kill('SIGKILL'));
    const watched = { name: 'container command', exited: server.exited, output: server.output };
    await waitForHttp(watched, `http://127.0.0.1:${port}/health/ready`, 90_000);

    const dashboard = await fetch(`http://127.0.0.1:${port}/`);
    expect(dashboard.status, 'the dashboard from WEB_DIR').toBe(200);
    expect(await dashboard.text()).toContain('<div id="root">');

    const [healthcheck] = instructionsOf(final, 'HEALTHCHECK');
    const check = run(execForm(healthcheck as NonNullable<typeof healthcheck>), env);
    expect(await check.exited, check.output()).toBe(0);

    const stopSignal = instructionsOf(final, 'STOPSIGNAL').at(-1)?.getArgumentsContent() as NodeJS.Signals;
    server.child.kill(stopSignal);
    expect(await server.exited, server.output()).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');

    const failing = run(execForm(healthcheck as NonNullable<typeof healthcheck>), env);
    expect(await failing.exited, 'the HEALTHCHECK fails once nothing listens').toBe(1);
  });
});
