import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root: children run from here so `--import tsx` and relative paths resolve. */
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
/** Preloaded into every child (Node `--import`, Deno and Bun `--preload`): it stops when its parent goes away. */
export const EXIT_WITH_PARENT_PATH = fileURLToPath(new URL('./exit-with-parent.ts', import.meta.url));
const EXIT_WITH_PARENT = pathToFileURL(EXIT_WITH_PARENT_PATH).href;
const STOP_GRACE_MS = 5_000;
const OUTPUT_LINES_KEPT = 40;

const running = new Set<ChildProcess>();
const lineWatchers = new Set<(line: string, child: string) => void>();

/** Sees every line every child of this process writes (the test suite checks them for secrets). */
export function watchChildLines(watcher: (line: string, child: string) => void): () => void {
  lineWatchers.add(watcher);
  return () => lineWatchers.delete(watcher);
}
// Last line of defence: whatever way this process exits, no child outlives it.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A TypeScript script running in its own Node process. */
export interface TsChild {
  name: string;
  process: ChildProcess;
  /** Settles when the process has exited (or failed to start). */
  exited: Promise<ChildExit>;
  /** The last lines the child wrote, for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within a grace period. Safe to call twice. */
  stop(): Promise<void>;
}

export interface SpawnOptions {
  env: NodeJS.ProcessEnv;
  /** Echo the child's output lines to stderr, prefixed with its name. */
  echo?: boolean;
  /** Called with every line the child writes (stdout and stderr), for callers that keep or check them all. */
  onLine?: (line: string) => void;
  /** Flags for Node itself, before the script (`--cpu-prof`, say). */
  nodeArgs?: string[];
}

/**
 * Starts `node --import tsx <script>` from the repository root, with an IPC
 * channel (for messages, and so the child notices when the bench goes away).
 */
export function spawnTs(name: string, script: string, options: SpawnOptions): TsChild {
  const args = [...(options.nodeArgs ?? []), '--import', 'tsx', '--import', EXIT_WITH_PARENT, script];
  return spawnChild(name, process.execPath, args, options);
}

/** Starts any program from the repository root the way `spawnTs` starts a script (IPC channel, output kept). */
export function spawnChild(name: string, command: string, args: string[], options: SpawnOptions): TsChild {
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  running.add(child);
  const lines: string[] = [];
  const keep = (line: string) => {
    if (!line.trim()) return;
    options.onLine?.(line);
    for (const watch of lineWatchers) watch(line, name);
    lines.push(line);
    if (lines.length > OUTPUT_LINES_KEPT) lines.shift();
    if (options.echo) process.stderr.write(`[${name}] ${line}\n`);
  };
  // Lines, not chunks: a pipe may split a line, and a caller checking every line must see it whole.
  const collector = () => {
    let partial = '';
    return {
      data: (chunk: Buffer) => {
        const parts = (partial + chunk.toString('utf8')).split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) keep(line);
      },
      end: () => keep(partial),
    };
  };
  for (const stream of [child.stdout, child.stderr]) {
    const lines = collector();
    stream?.on('data', lines.data);
    stream?.on('end', lines.end);
  }
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      lines.push(String(error));
      resolve({ code: null, signal: null });
    });
  }).finally(() => running.delete(child));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || !running.has(child)) return;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'late'>((resolve) => {
      timer = setTimeout(resolve, STOP_GRACE_MS, 'late');
    });
    if ((await Promise.race([exited, grace])) === 'late') child.kill('SIGKILL');
    clearTimeout(timer);
    await exited;
  };
  return { name, process: child, exited, output: () => lines.join('\n'), stop };
}

/** Something that runs, can exit early, and has output worth showing when it fails. */
export interface Watched {
  name: string;
  exited: Promise<unknown>;
  output(): string;
}

/** Polls `url` until it answers 2xx; fails early, with the process output, if it exits first. */
export async function waitForHttp(target: Watched, url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: unknown;
  let exitedEarly = false;
  void target.exited.then((e) => {
    exit = e;
    exitedEarly = true;
  });
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (exitedEarly) {
      throw new Error(`${target.name} exited (${JSON.stringify(exit)}) before ${url} answered:\n${target.output()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${target.name}: ${url} did not answer 2xx within ${timeoutMs} ms (${last}):\n${target.output()}`);
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}
