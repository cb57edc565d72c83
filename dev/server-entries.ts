/**
 * How the conformance tests and the bench start the long-running server entries:
 * `api/entries/node.ts` under Node (tsx), `deno.ts` under `deno serve` and `bun.ts`
 * under Bun, each with the runtime npm installed (dev dependencies), never one from PATH.
 * Test and bench tooling: users start them with `npm start`, `start:deno`, `start:bun`.
 */
import { join } from 'node:path';
import { DEFAULT_PGLITE_TEMPLATE_DIR } from '../core/env-schema.ts';
import { EXIT_WITH_PARENT_PATH, REPO_ROOT, spawnChild, spawnTs, type TsChild } from './child-process.ts';

export const SERVER_RUNTIMES = ['node', 'deno', 'bun'] as const;
export type ServerRuntimeName = (typeof SERVER_RUNTIMES)[number];

/**
 * What the Deno entry may do (the same flags as `npm run start:deno`): serve and reach
 * the database, read its settings, migrations and dashboard, and write only its data
 * directory and the embedded database's templates.
 */
export function denoPermissions(dataDir = './.data', templateDir = DEFAULT_PGLITE_TEMPLATE_DIR): string[] {
  return ['--allow-net', '--allow-env', '--allow-read', `--allow-write=${dataDir},${templateDir}`];
}

export interface EntryOptions {
  /** The server's settings; HOST and PORT are set from `host` and `port`. */
  env: NodeJS.ProcessEnv;
  port: number;
  host?: string;
  /** Echo the server's output to stderr. */
  echo?: boolean;
}

/** Starts a runtime's entry from the repository root; stop it with `stop()` (SIGTERM, then SIGKILL). */
export function spawnEntry(runtime: ServerRuntimeName, name: string, options: EntryOptions): TsChild {
  const host = options.host ?? '127.0.0.1';
  const env: NodeJS.ProcessEnv = { ...options.env, HOST: host, PORT: String(options.port) };
  const spawnOptions = { env, echo: options.echo };
  const bin = (program: string) => join(REPO_ROOT, 'node_modules', '.bin', program);
  switch (runtime) {
    case 'node':
      return spawnTs(name, 'api/entries/node.ts', spawnOptions);
    case 'deno':
      // `deno serve` takes its address from flags, not from HOST and PORT.
      return spawnChild(
        name,
        bin('deno'),
        [
          'serve',
          `--host=${host}`,
          `--port=${options.port}`,
          ...denoPermissions(env.DATA_DIR, env.PGLITE_TEMPLATE_DIR),
          `--preload=${EXIT_WITH_PARENT_PATH}`,
          'api/entries/deno.ts',
        ],
        spawnOptions,
      );
    case 'bun':
      return spawnChild(name, bin('bun'), [`--preload=${EXIT_WITH_PARENT_PATH}`, 'api/entries/bun.ts'], spawnOptions);
  }
}
