import { describe, expect, it } from 'vitest';
import { spawnChild } from '../../dev/child-process.ts';
import { type DrillReport, linesWithSecrets, runFaultDrill } from '../../dev/fault-drill.ts';
import { postgresBinaries, redisBinary, startPrivatePostgres } from '../../dev/private-services.ts';

/**
 * Dependency faults, from outside the process, on a Postgres and a Redis of the suite's
 * own (never the machine's shared ones): each is stopped or frozen under a write load
 * with the job dispatcher busy, then brought back.
 */
const pgBin = postgresBinaries();
const redisBin = redisBinary();
const missing = 'missing' in pgBin ? pgBin.missing : 'missing' in redisBin ? redisBin.missing : undefined;

describe.skipIf(missing)(`dependency faults${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let report: DrillReport | undefined;

  it('Should survive a Postgres stop and freeze and a Redis stop and freeze with the dispatcher busy', async () => {
    report = await runFaultDrill({ log: (m) => process.stderr.write(`[faults] ${m}\n`) });
    process.stderr.write(
      `[faults] ${JSON.stringify({ ...report, logLines: report.logLines.length, secrets: report.secrets.length })}\n`,
    );
    expect(report.survived, `the server exited: ${report.exit}\n${report.logLines.slice(-20).join('\n')}`).toBe(true);
    expect(report.logLines.filter((l) => l.includes('unhandled rejection'))).toEqual([]);
  }, 240_000);

  it('Should start while the database is down: live, not ready, 503 with Retry-After, then ready once it is back', () => {
    if (!report) return expect.unreachable('the drill did not run');
    const { startup } = report;
    expect(startup.liveWhileDown).toBe(true);
    expect(startup.readyStatus).toBe(503);
    expect(startup.readyDetail).toMatch(/^Starting: waiting for the database \(try \d+: ECONNREFUSED\)\.$/);
    expect(startup.apiStatus).toBe(503);
    expect(startup.apiRetryAfter).toBe(true);
    expect(startup.readyAfterDatabaseMs).not.toBeNull();
  });

  it('Should show each fault in readiness within 2 s and on every probe sent during it, and recover by itself', () => {
    if (!report) return expect.unreachable('the drill did not run');
    for (const f of report.faults) {
      expect(f.timeToDetectMs, `${f.fault}: readiness showed it`).not.toBeNull();
      expect(f.timeToDetectMs as number, `${f.fault}: time to detect`).toBeLessThanOrEqual(2_000);
      expect(f.missedProbes, `${f.fault}: probes sent during it that said ready`).toBe(0);
      expect(f.recoveryMs, `${f.fault}: readiness recovered`).not.toBeNull();
    }
  });

  it('Should answer every request during a fault with its result or a 503 with Retry-After', () => {
    if (!report) return expect.unreachable('the drill did not run');
    for (const f of report.faults) {
      const unexpected = Object.keys(f.statuses).filter((s) => !['200', '201', '503'].includes(s));
      expect(unexpected, `${f.fault}: ${JSON.stringify(f.statuses)}`).toEqual([]);
      expect(f.unavailableWithoutRetryAfter, `${f.fault}: 503 without Retry-After`).toBe(0);
    }
    const postgresDown = report.faults.filter((f) => f.fault.startsWith('postgres'));
    for (const f of postgresDown) expect(f.statuses['503'] ?? 0, `${f.fault}: some writes refused`).toBeGreaterThan(0);
  });

  it('Should hold no request for Redis: rate limits and the cache give up on it within the command limit', () => {
    if (!report) return expect.unreachable('the drill did not run');
    const redisDown = report.faults.filter((f) => f.fault.startsWith('redis'));
    expect(redisDown.map((f) => f.fault)).toEqual(['redis stop', 'redis freeze']);
    // Each fault lasts 3 s: an answer held until Redis is back would take about that long.
    for (const f of redisDown) expect(f.slowestMs, `${f.fault}: slowest answer`).toBeLessThan(2_000);
  });

  it('Should lose no acknowledged write and leave no job unfinished', () => {
    if (!report) return expect.unreachable('the drill did not run');
    expect(report.acknowledgedWrites).toBeGreaterThan(0);
    expect(report.lostWrites).toBe(0);
    expect(report.missingAudit).toBe(0);
    expect(report.stuckJobs, JSON.stringify(report.jobsByStatus)).toBe(0);
  });

  it('Should warn about a dependency once per message and route template each interval, not once per request', () => {
    if (!report) return expect.unreachable('the drill did not run');
    const perKey = new Map<string, number>();
    for (const line of report.logLines) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as { level: string; msg: string; route?: string };
      if (entry.level !== 'warn' || entry.msg === 'request' || entry.msg === 'job run') continue;
      const key = `${entry.msg} ${entry.route ?? ''}`;
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
    }
    expect(perKey.size).toBeGreaterThan(0);
    // The drill lasts under a minute; the throttle allows one line per 10 s and key.
    const flooding = [...perKey].filter(([, n]) => n > 6);
    expect(flooding).toEqual([]);
    for (const key of perKey.keys())
      expect(key, 'route templates, never raw ids').not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('Should keep every password, hash, key, secret and token out of the log', () => {
    if (!report) return expect.unreachable('the drill did not run');
    expect(report.logLines.length).toBeGreaterThan(0);
    expect(report.secrets.length).toBeGreaterThanOrEqual(5);
    expect(linesWithSecrets(report.logLines, report.secrets)).toEqual([]);
  });
});

describe.skipIf('missing' in pgBin)(
  `npm run db:migrate waits for the database${'missing' in pgBin ? ` (skipped: ${pgBin.missing})` : ''}`,
  () => {
    const migrate = (env: Record<string, string>) =>
      spawnChild('migrate', process.execPath, ['--import', 'tsx', 'api/entries/db-cli.ts', 'migrate'], {
        env: { ...process.env, ...env },
      });

    it('Should retry until Postgres accepts connections, then migrate', async () => {
      const postgres = await startPrivatePostgres();
      try {
        await postgres.stop();
        const child = migrate({ DATABASE_URL: postgres.url, DATABASE_WAIT_SECONDS: '60' });
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        await postgres.start();
        const exit = await child.exited;
        expect(exit, child.output()).toEqual({ code: 0, signal: null });
        expect(child.output()).toMatch(/waiting for the database \(try 1: ECONNREFUSED\)/);
        expect(child.output()).toMatch(/migrate \(pg\): applied \d+ migration/);
      } finally {
        await postgres.destroy();
      }
    }, 120_000);

    it('Should give up after DATABASE_WAIT_SECONDS with exit 1, saying why', async () => {
      const postgres = await startPrivatePostgres();
      try {
        await postgres.stop();
        const child = migrate({ DATABASE_URL: postgres.url, DATABASE_WAIT_SECONDS: '1' });
        expect(await child.exited).toEqual({ code: 1, signal: null });
        expect(child.output()).toMatch(
          /DatabaseWaitTimeout ECONNREFUSED: the database did not become available within 1 s \(\d+ tries\)/,
        );
      } finally {
        await postgres.destroy();
      }
    }, 120_000);
  },
);
