import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, REPO_ROOT } from '../dev/child-process.ts';
import { type CpuProfile, summarizeProfile, summaryLines } from './lib/cpu-profile.ts';
import { spawnGroup, untilReady } from './lib/process-group.ts';
import { childEnv } from './lib/servers.ts';
import { num } from './lib/table.ts';

/*
 * `npm run bench:profile-startup [entries]`: what `npm start` runs, under `node --cpu-prof`
 * (npm cannot pass the flag on: NODE_OPTIONS refuses it), cold on a new DATA_DIR and then
 * warm on the same one, each stopped once /health/ready answers 200. Prints every
 * thread's heaviest packages and functions by self time up to that moment.
 * PROFILE_KEEP=dir keeps the .cpuprofile files there (open them in Chrome DevTools).
 */

/** The Node arguments `npm start` amounts to: `tsx X` is `node --import tsx X`, `node X` is `node X`. */
function startArgs(): string[] {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [command, ...args] = pkg.scripts.start.split(/\s+/);
  if (command === 'tsx') return ['--import', 'tsx', ...args];
  if (command === 'node') return args;
  throw new Error(`cannot profile a start script that does not run node or tsx: ${pkg.scripts.start}`);
}

/** The thread a profile file belongs to: `CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile`. */
const threadOf = (file: string) => (file.split('.')[4] === '0' ? 'main thread' : `thread ${file.split('.')[4]}`);

async function profileStart(kind: string, dataDir: string, profileDir: string, entries: number): Promise<string[]> {
  const port = await freePort();
  const args = ['--cpu-prof', '--cpu-prof-dir', profileDir, ...startArgs()];
  const group = spawnGroup(
    process.execPath,
    args,
    childEnv({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port) }),
  );
  let readyMs: number;
  // On the profiles' clock (the monotonic one, in µs): samples after it are not start-up.
  let readyMicros: number;
  try {
    ({ ms: readyMs } = await untilReady(group, `http://127.0.0.1:${port}/health/ready`, {
      pollMs: 20,
      giveUpMs: 120_000,
    }));
    readyMicros = Number(process.hrtime.bigint() / 1000n);
  } finally {
    // TERM: the server exits by itself, and Node writes the profiles as it does.
    await group.stop();
  }
  const lines = [`## ${kind} start: ready after ${num(readyMs)} ms (node ${args.slice(3).join(' ')})`];
  for (const file of (await readdir(profileDir)).filter((f) => f.endsWith('.cpuprofile')).sort()) {
    const profile = JSON.parse(await readFile(join(profileDir, file), 'utf8')) as CpuProfile;
    const summary = summarizeProfile(profile, { entries, untilMicros: readyMicros });
    lines.push(
      '',
      `### ${threadOf(file)}: ${num(summary.totalMs)} ms sampled until ready, ${num(summary.idleMs)} ms of it idle`,
      '',
      ...summaryLines(summary),
    );
  }
  return lines;
}

async function main(): Promise<void> {
  const entries = Number(process.argv[2] ?? 15);
  const work = await mkdtemp(join(tmpdir(), 'edgeplane-profile-startup-'));
  const keep = process.env.PROFILE_KEEP;
  try {
    const dataDir = join(work, 'data');
    await mkdir(dataDir);
    for (const kind of ['cold', 'warm']) {
      const profileDir = keep ? join(keep, kind) : join(work, kind);
      await rm(profileDir, { recursive: true, force: true });
      process.stdout.write(`${(await profileStart(kind, dataDir, profileDir, entries)).join('\n')}\n\n`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
