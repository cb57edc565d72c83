import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, REPO_ROOT } from '../../dev/child-process.ts';
import { type Ready, spawnGroup, untilReady } from '../lib/process-group.ts';
import type { Section, SectionContext } from '../lib/section.ts';
import { childEnv } from '../lib/servers.ts';
import { num } from '../lib/table.ts';

const ROUNDS = 3;
const POLL_MS = 20;
const GIVE_UP_MS = 120_000;

interface Run {
  checkout: string;
  round: number;
  kind: 'cold' | 'warm';
  /** From spawning `npm start` to the first 200 of `/health/ready`. */
  readyMs: number;
  /** CPU time of npm and everything it started, until then. */
  cpuMs: number | null;
}

/** `npm start` in `checkout` on `dataDir`, no app settings but where to keep data and listen, timed to its first ready answer. */
async function timeNpmStart(context: SectionContext, checkout: string, dataDir: string): Promise<Ready> {
  const port = await freePort();
  const env = childEnv({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port) });
  const group = spawnGroup('npm', ['start'], env, checkout);
  context.defer('stop npm start', () => group.stop());
  try {
    return await untilReady(group, `http://127.0.0.1:${port}/health/ready`, { pollMs: POLL_MS, giveUpMs: GIVE_UP_MS });
  } finally {
    await group.stop();
  }
}

async function newDataDir(context: SectionContext): Promise<string> {
  const dir = await mkdtemp(join(os.tmpdir(), 'edgeplane-startup-'));
  context.defer(`remove ${dir}`, () => rm(dir, { recursive: true, force: true }));
  return dir;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * `npm start` as a user runs it (the embedded PGlite database), timed to its first ready
 * answer: cold on a new data directory, then warm on the same one, three rounds.
 * BENCH_STARTUP_BASELINE names another checkout (installed, e.g. a `git worktree` of
 * main) measured in the same rounds, turn about, so both see the same machine load.
 */
export const startup: Section = {
  name: 'startup',
  title: '`npm start` to the first 200 of /health/ready (embedded default), cold and warm',
  async run(context) {
    const baseline = process.env.BENCH_STARTUP_BASELINE;
    const checkouts = [{ label: 'this checkout', path: REPO_ROOT }];
    if (baseline) checkouts.push({ label: 'baseline', path: resolve(baseline) });

    // What a checkout builds once (the dashboard, and whatever else a first start makes)
    // is not start-up: one unmeasured start in each builds it.
    const primeMs: Record<string, number> = {};
    for (const checkout of checkouts) {
      const { ms } = await timeNpmStart(context, checkout.path, await newDataDir(context));
      primeMs[checkout.label] = ms;
      context.log(`${checkout.label}: first start (builds what is missing; not counted): ${num(ms)} ms`);
    }

    const loadBefore = os.loadavg().map((l) => l.toFixed(2));
    const runs: Run[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const checkout of checkouts) {
        const dataDir = await newDataDir(context);
        for (const kind of ['cold', 'warm'] as const) {
          const ready = await timeNpmStart(context, checkout.path, dataDir);
          const cpu = ready.cpuMs === null ? '' : ` (CPU ${num(ready.cpuMs)} ms)`;
          context.log(`${checkout.label}, round ${round}, ${kind}: ${num(ready.ms)} ms${cpu}`);
          runs.push({ checkout: checkout.label, round, kind, readyMs: ready.ms, cpuMs: ready.cpuMs });
        }
      }
    }
    const rows = checkouts.flatMap((checkout) =>
      (['cold', 'warm'] as const).map((kind) => {
        const these = runs.filter((r) => r.checkout === checkout.label && r.kind === kind);
        const ms = these.map((r) => r.readyMs);
        const cpu = these.flatMap((r) => (r.cpuMs === null ? [] : [r.cpuMs]));
        const label = baseline ? `${kind} (${checkout.label})` : kind;
        return [label, ...ms.map((v) => num(v)), num(median(ms)), cpu.length ? num(median(cpu)) : '–'];
      }),
    );
    return {
      table: {
        caption: [
          `\`npm start\` in a session of its own (setsid), no app settings but DATA_DIR, HOST and PORT; /health/ready polled every ${POLL_MS} ms;`,
          'the whole process group is ended after each run. Cold: a new, empty DATA_DIR. Warm: the same DATA_DIR again.',
          'CPU: user + system time of the whole group until the first 200 (on a busy machine wall time grows, CPU time hardly does).',
          `First starts (unmeasured, they build what a checkout lacks): ${Object.entries(primeMs)
            .map(([label, ms]) => `${label} ${num(ms)} ms`)
            .join(', ')}. Load average before: ${loadBefore.join(', ')} on ${os.cpus().length} cores.`,
          ...(baseline ? [`Baseline: ${resolve(baseline)}.`] : []),
        ],
        columns: [
          'start',
          ...Array.from({ length: ROUNDS }, (_, i) => `run ${i + 1} ms`),
          'median ms',
          'CPU ms (median)',
        ],
        rows,
      },
      details: { primeMs, loadAverageBefore: loadBefore, baseline: baseline ? resolve(baseline) : undefined, runs },
    };
  },
};
