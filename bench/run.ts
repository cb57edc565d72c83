import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { describeConfig, parseBenchConfig } from './config.ts';
import { Cleanup } from './lib/cleanup.ts';
import type { Section } from './lib/section.ts';
import { formatTable } from './lib/table.ts';
import { faults } from './sections/faults.ts';
import { jobsDispatcher } from './sections/jobs-dispatcher.ts';
import { nodeVsBaseline } from './sections/node-vs-baseline.ts';
import { observabilityOverhead } from './sections/observability-overhead.ts';
import { runtimes } from './sections/runtimes.ts';
import { startup } from './sections/startup.ts';

/** Every section, in run order. A new measurement is a new file in sections/ listed here. */
const SECTIONS: Section[] = [nodeVsBaseline, jobsDispatcher, observabilityOverhead, runtimes, faults, startup];

const RESULTS_FILE = fileURLToPath(new URL('./results/latest.json', import.meta.url));

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function main(): Promise<number> {
  const config = parseBenchConfig(process.env);
  const unknown = config.only.filter((name) => !SECTIONS.some((s) => s.name === name));
  if (unknown.length) {
    throw new Error(
      `BENCH_ONLY names unknown sections: ${unknown.join(', ')} (known: ${SECTIONS.map((s) => s.name).join(', ')})`,
    );
  }
  const selected = config.only.length ? SECTIONS.filter((s) => config.only.includes(s.name)) : SECTIONS;

  // Teardown (servers, scratch database) also runs on Ctrl-C or a TERM from a CI runner.
  const cleanup = new Cleanup();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: cleaning up`);
      void cleanup.run().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }

  const startedAt = new Date();
  const loadAtStart = os.loadavg().map((l) => Math.round(l * 100) / 100);
  const sections: Record<string, unknown>[] = [];
  let failed = false;
  for (const section of selected) {
    log(`section ${section.name}: ${section.title}`);
    const started = performance.now();
    try {
      const result = await section.run({
        config,
        defer: (label, task) => cleanup.defer(label, task),
        log: (message) => log(`${section.name}: ${message}`),
      });
      const seconds = Math.round((performance.now() - started) / 100) / 10;
      sections.push({ name: section.name, title: section.title, seconds, table: result.table, ...result.details });
      process.stdout.write(`\n## ${section.name}: ${section.title}\n\n${formatTable(result.table)}\n\n`);
    } catch (error) {
      failed = true;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      sections.push({ name: section.name, title: section.title, error: message });
      log(`section ${section.name} failed: ${message}`);
    } finally {
      await cleanup.run();
    }
  }

  const cpus = os.cpus();
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    environment: {
      node: process.version,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      // Other work on the machine skews every number: worth knowing when comparing runs.
      loadAverageAtStart: loadAtStart,
    },
    config: describeConfig(config),
    sections,
  };
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  log(`results written to ${RESULTS_FILE}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
