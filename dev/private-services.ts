import { execFile, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { chown } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, spawnChild, type TsChild } from './child-process.ts';

/**
 * Postgres and Redis servers of a test's own, on free ports, for tests and benches that
 * stop, freeze or restart a dependency: the shared services of the machine are never
 * touched. Built from the machine's PostgreSQL (`initdb`, `pg_ctl`) and `redis-server`.
 */

const run = promisify(execFile);

/** The directory holding initdb and pg_ctl, or why there is none. */
export function postgresBinaries(): { dir: string } | { missing: string } {
  const candidates = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => `/usr/lib/postgresql/${version}/bin`)
    : [];
  const dir = candidates.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')));
  return dir ? { dir } : { missing: 'no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql' };
}

/** `redis-server` on PATH, or why there is none. */
export function redisBinary(): { path: string } | { missing: string } {
  const dirs = (process.env.PATH ?? '').split(':');
  const dir = dirs.find((d) => d && existsSync(join(d, 'redis-server')));
  return dir ? { path: join(dir, 'redis-server') } : { missing: 'redis-server is not on PATH' };
}

export interface PrivatePostgres {
  port: number;
  /** The cluster's data directory (owned by the cluster owner). */
  dataDir: string;
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  url: string;
  /** Fast shutdown (`pg_ctl stop -m fast`): connections are closed, as in a failover or restart. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Immediate shutdown (`pg_ctl stop -m immediate`): no checkpoint and no last WAL archiving, as when the server is lost. */
  crash(): Promise<void>;
  /** SIGSTOP every process of the cluster: connections stay open and nothing answers. */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  /** Stops the cluster and removes its files. */
  destroy(): Promise<void>;
}

export interface PrivatePostgresOptions {
  /** postgresql.conf settings, after (and over) the defaults: fsync off, 127.0.0.1 only… */
  settings?: Record<string, string>;
  /**
   * Fills the new data directory instead of initdb (a base backup, say). It runs before
   * the settings are written; `dataDir` does not exist yet and its parent belongs to the
   * cluster owner: run commands through `runAsClusterOwner`.
   */
  populate?: (dataDir: string) => Promise<void>;
}

const DEFAULT_SETTINGS: Record<string, string> = {
  listen_addresses: '127.0.0.1',
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: '50',
};

/** initdb refuses to run as root: as root, the cluster belongs to the `postgres` account. */
function asClusterOwner(command: string, args: string[]): [string, string[]] {
  return userInfo().uid === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

/** A new temporary directory the cluster owner may write (archives, base backups). */
export async function clusterOwnedDir(prefix: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (userInfo().uid === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  return dir;
}

/** One of the server's programs (`pg_basebackup`, say), by name. */
export function postgresBinary(name: string): string {
  const binaries = postgresBinaries();
  if ('missing' in binaries) throw new Error(binaries.missing);
  return join(binaries.dir, name);
}

/** Runs a command as the owner of the private clusters (the `postgres` account when this process is root). */
export function runAsClusterOwner(command: string, args: string[]): Promise<string> {
  return exec(command, args);
}

/** A postgresql.conf line; later lines win, so appended settings override earlier ones. */
function confLine(name: string, value: string): string {
  return `${name} = '${value.replaceAll("'", "''")}'\n`;
}

async function exec(command: string, args: string[]): Promise<string> {
  const [cmd, argv] = asClusterOwner(command, args);
  try {
    const { stdout } = await run(cmd, argv, { timeout: 60_000 });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
}

/** Sends a signal to a process that may have exited since it was listed. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Whether a process is stopped by a signal (state T in /proc/<pid>/stat), or gone. */
function stoppedOrGone(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return true;
  }
  // The state follows the command name, which is in parentheses and may hold any character.
  return stat[stat.lastIndexOf(')') + 2] === 'T';
}

/** Resolves once every process has stopped (a signal is delivered when its process next runs). */
async function untilStopped(pids: number[], limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!pids.every(stoppedOrGone)) {
    if (Date.now() > deadline) throw new Error(`processes ${pids.join(', ')} did not stop within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A new Postgres cluster (trust auth, fsync off) listening on 127.0.0.1 only: initdb'd, or
 * made from what `populate` puts in its data directory.
 */
export async function startPrivatePostgres(options: PrivatePostgresOptions = {}): Promise<PrivatePostgres> {
  const bin = postgresBinary;
  const root = await clusterOwnedDir('edgeplane-pg-');
  const data = join(root, 'data');
  if (options.populate) await options.populate(data);
  else {
    await exec(bin('initdb'), [
      '-D',
      data,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--no-sync',
      '--no-instructions',
    ]);
  }
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  appendFileSync(
    join(data, 'postgresql.conf'),
    Object.entries(settings)
      .map(([name, value]) => confLine(name, value))
      .join(''),
  );
  const port = await freePort();
  const serverOptions = [`-p ${port}`, `-k ${root}`].join(' ');
  const log = join(root, 'server.log');
  const start = () =>
    exec(bin('pg_ctl'), ['-D', data, '-o', serverOptions, '-l', log, '-w', '-t', '60', 'start']).then(
      () => {},
      (error: Error) => {
        // pg_ctl says only that the server did not start: its log says why.
        const tail = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-15).join('\n') : '';
        throw new Error(`${error.message}\n${tail}`);
      },
    );
  const postmasterPid = () => Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const childPids = async (pid: number) => {
    const { stdout } = await run('pgrep', ['-P', String(pid)]).catch(() => ({ stdout: '' }));
    return stdout.split('\n').filter(Boolean).map(Number);
  };
  let frozen = false;
  const thaw = async () => {
    if (!frozen) return;
    frozen = false;
    const pid = postmasterPid();
    for (const each of [pid, ...(await childPids(pid))]) signal(each, 'SIGCONT');
  };
  const stop = async () => {
    await thaw();
    if (existsSync(join(data, 'postmaster.pid'))) {
      await exec(bin('pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
    }
  };
  await start();
  return {
    port,
    dataDir: data,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    async crash() {
      await thaw();
      if (existsSync(join(data, 'postmaster.pid'))) {
        await exec(bin('pg_ctl'), ['-D', data, '-m', 'immediate', '-w', '-t', '60', 'stop']);
      }
    },
    async freeze() {
      // The postmaster first, and its children listed only once it has stopped: a backend
      // forked while the list was read would keep answering through the freeze.
      const pid = postmasterPid();
      signal(pid, 'SIGSTOP');
      frozen = true;
      await untilStopped([pid]);
      const children = await childPids(pid);
      for (const child of children) signal(child, 'SIGSTOP');
      await untilStopped(children);
    },
    thaw,
    async destroy() {
      await stop().catch(() => {});
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface PrivateRedis {
  port: number;
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP the server: connections stay open and nothing answers. */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  destroy(): Promise<void>;
}

/** A Redis server of its own (nothing kept on disk) on a free port of 127.0.0.1. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const binary = redisBinary();
  if ('missing' in binary) throw new Error(binary.missing);
  const port = await freePort();
  let child: TsChild | undefined;
  const start = async () => {
    child = spawnChild(
      'redis',
      binary.path,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        env: process.env,
      },
    );
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (await pingRedis(port)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis-server on port ${port} did not answer:\n${child.output()}`);
  };
  let frozen = false;
  const thaw = async () => {
    if (!frozen || child?.process.pid === undefined) return;
    frozen = false;
    signal(child.process.pid, 'SIGCONT');
  };
  const stop = async () => {
    await thaw();
    await child?.stop();
    child = undefined;
  };
  const freeze = async () => {
    const pid = child?.process.pid;
    if (pid === undefined) throw new Error('redis-server is not running');
    signal(pid, 'SIGSTOP');
    frozen = true;
    await untilStopped([pid]);
  };
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, start, stop, freeze, thaw, destroy: stop };
}

function pingRedis(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = spawn('redis-cli', ['-p', String(port), 'ping'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    probe.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    probe.on('error', () => resolve(false));
    probe.on('exit', () => resolve(out.trim() === 'PONG'));
  });
}
