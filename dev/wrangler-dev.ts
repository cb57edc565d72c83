/**
 * Starts the Worker under `wrangler dev` (workerd) for development and tests, and
 * stops it without leaving workerd behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';

// How long wrangler gets to stop workerd before the whole group is killed.
const STOP_GRACE_MS = 5_000;

export interface WranglerDevOptions {
  port: number;
  /** Worker vars (`--var KEY:VALUE`). */
  vars: Record<string, string>;
  /** The debugger port; tests pass a free one so several runs can coexist. */
  inspectorPort?: number;
  /** Where local state goes (default `.wrangler/state`). */
  persistTo?: string;
  logLevel?: 'debug' | 'info' | 'log' | 'warn' | 'error' | 'none';
  /** `inherit` streams to this terminal; `pipe` keeps the output for `output()`. */
  stdio: 'inherit' | 'pipe';
}

export interface WranglerDev {
  child: ChildProcess;
  /** Resolves with wrangler's exit code once it has exited. */
  exited: Promise<number>;
  /** Captured output (with `stdio: 'pipe'`). */
  output(): string;
  /** Signals wrangler and workerd to stop, killing the group if they do not within a grace period. */
  stop(signal?: NodeJS.Signals): Promise<number>;
}

/**
 * Runs wrangler's CLI directly with node, in its own process group: the `wrangler`
 * bin (and npx) wrap it in a second process that does not pass signals on, which
 * leaves workerd running. Signalling the group stops wrangler and workerd together.
 */
export function startWranglerDev(options: WranglerDevOptions): WranglerDev {
  const cli = createRequire(import.meta.url).resolve('wrangler');
  const args = [
    ...['--no-warnings', '--experimental-vm-modules', cli, 'dev', '--ip', '127.0.0.1', '--port', String(options.port)],
    ...Object.entries(options.vars).flatMap(([key, value]) => ['--var', `${key}:${value}`]),
    ...(options.inspectorPort ? ['--inspector-port', String(options.inspectorPort)] : []),
    ...(options.persistTo ? ['--persist-to', options.persistTo] : []),
    ...(options.logLevel ? ['--log-level', options.logLevel] : []),
    // Its own group has no terminal to read hotkeys from; Ctrl-C reaches it through the parent.
    '--show-interactive-dev-session=false',
  ];
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', options.stdio, options.stdio],
    // Quiet and offline-friendly by default: no banner with an update check, no fetch
    // of Request.cf data from workers.cloudflare.com (its placeholder is used instead).
    env: {
      WRANGLER_HIDE_BANNER: 'true',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      ...process.env,
      WRANGLER_SEND_METRICS: 'false',
    },
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => {
      // workerd may outlive wrangler's node process; make sure nothing of the group is left.
      signalGroup(child, 'SIGKILL');
      resolve(code ?? (signal ? 0 : 1));
    });
  });
  // Last resort if the parent ends some other way: never leave workerd behind.
  process.once('exit', () => signalGroup(child, 'SIGKILL'));
  return {
    child,
    exited,
    output: () => output,
    stop(signal = 'SIGTERM') {
      signalGroup(child, signal);
      setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_GRACE_MS).unref();
      return exited;
    },
  };
}

/** Signals wrangler's whole process group, which outlives wrangler itself while workerd runs. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}
