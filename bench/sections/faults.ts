import { linesWithSecrets, runFaultDrill } from '../../dev/fault-drill.ts';
import type { Section } from '../lib/section.ts';
import { num } from '../lib/table.ts';

const ms = (value: number | null) => (value === null ? 'never' : `${num(value)} ms`);

/**
 * The fault suite's drill, reported: the Node entry on a Postgres and a Redis of its
 * own, the dispatcher busy with a webhook per write, each dependency stopped or frozen
 * for a few seconds under a write load. Not a speed figure: what an operator sees.
 */
export const faults: Section = {
  name: 'faults',
  title: 'Dependency faults under load: detection, refusals, recovery and what was lost',
  async run(context) {
    const report = await runFaultDrill({ log: context.log });
    const rows = report.faults.map((f) => [
      f.fault,
      ms(f.timeToDetectMs),
      num(f.missedProbes),
      num(f.statuses['503'] ?? 0),
      num(
        Object.entries(f.statuses)
          .filter(([s]) => !['200', '201', '503'].includes(s))
          .reduce((n, [, c]) => n + c, 0),
      ),
      num(f.slowestMs),
      ms(f.recoveryMs),
    ]);
    const leaked = linesWithSecrets(report.logLines, report.secrets).length;
    return {
      table: {
        caption: [
          'A private Postgres and Redis, 4 writers (POST /api/v1/items, each queueing a webhook delivery),',
          'DATABASE_STATEMENT_TIMEOUT_MS=2000; each fault lasts 3 s. "time to detect": readiness shows the fault',
          '(503, or its cache check down for Redis) to a probe sent after it; "missed probes": probes sent during',
          'the fault that did not show it; "recovery": from the dependency’s return to readiness as before.',
        ],
        columns: [
          'fault',
          'time to detect',
          'missed probes',
          '503 answers',
          'other failures',
          'slowest answer ms',
          'recovery',
        ],
        rows,
        notes: [
          `Start-up with Postgres down: live ${report.startup.liveWhileDown ? 'yes' : 'NO'}, readiness ${report.startup.readyStatus}, API ${report.startup.apiStatus}; ready ${ms(report.startup.readyAfterDatabaseMs)} after Postgres started.`,
          `Server survived: ${report.survived ? 'yes' : `NO (${report.exit})`}. Acknowledged writes ${num(report.acknowledgedWrites)}, lost ${report.lostWrites}, without audit row ${report.missingAudit}; jobs not finished ${report.stuckJobs} (${JSON.stringify(report.jobsByStatus)}).`,
          `Log lines ${num(report.logLines.length)}, with a secret in them: ${leaked}.`,
        ],
      },
      details: { ...report, logLines: report.logLines.length, secrets: report.secrets.length, leakedLines: leaked },
    };
  },
};
