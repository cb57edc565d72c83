import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnTs, type TsChild, waitForHttp } from '../../dev/child-process.ts';
import {
  clusterOwnedDir,
  type PrivatePostgres,
  postgresBinaries,
  postgresBinary,
  runAsClusterOwner,
  startPrivatePostgres,
} from '../../dev/private-services.ts';
import { CHART_DIR, chartHelm, type Helm, render } from './render.ts';
import { find } from './workloads.ts';

/**
 * The CloudNativePG chart's recovery arithmetic on real Postgres: a cluster of its own
 * archives WAL to a directory (the object store's stand-in) with the archive_timeout the
 * chart renders, the app writes through its HTTP API, and clusters restored from the base
 * backup and the archive show what a point-in-time recovery brings back and what losing
 * every instance costs. PITR_ARCHIVE_TIMEOUT (e.g. 5min, the chart's default) measures
 * another setting; the default 2s keeps the run short.
 */

const found = chartHelm();
const binaries = postgresBinaries();
const reason =
  'missing' in binaries
    ? binaries.missing
    : !existsSync(join(binaries.dir, 'pg_basebackup'))
      ? `no pg_basebackup in ${binaries.dir}`
      : 'skip' in found
        ? found.skip
        : '';
const ARCHIVE_TIMEOUT = process.env.PITR_ARCHIVE_TIMEOUT ?? '2s';
const ADMIN = { email: 'pitr-admin@edgeplane.test', password: 'pitr-admin-password-5k2q' };

/** Postgres's time units for archive_timeout (a bare number is seconds). */
function durationMs(text: string): number {
  const m = /^(\d+)(ms|s|min|h|d)?$/.exec(text);
  if (!m) throw new Error(`not a Postgres duration: ${text}`);
  const unit = { ms: 1, s: 1_000, min: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 's'] as number;
  return Number(m[1]) * unit;
}

const archiveTimeoutMs = durationMs(ARCHIVE_TIMEOUT);

/**
 * What the operator makes of targetTime for recovery_target_time (ConvertToPostgresFormat):
 * an RFC 3339 time becomes Go's "2006-01-02 15:04:05.000000Z07:00", so UTC ends in `Z`,
 * an abbreviation Postgres cannot read at start-up; any other text is passed on as it is.
 */
function postgresTargetTime(rfc3339: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(rfc3339);
  if (!m) return rfc3339;
  return `${m[1]} ${m[2]}.${(m[3] ?? '').padEnd(6, '0').slice(0, 6)}${m[4]}`;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The values of a CloudNativePG install with backups; the chart's Cluster carries what the test uses. */
const cnpgValues = (cloudnativePg: Record<string, unknown>) => ({
  postgresql: {
    mode: 'cloudnative-pg',
    cloudnativePg: {
      ...cloudnativePg,
      backup: { enabled: true, destinationPath: 's3://edgeplane-backups/db', s3Credentials: { existingSecret: 's3' } },
    },
  },
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The app on `url`, and a client that creates items and says when each was acknowledged. */
async function startApp(url: string) {
  const port = await freePort();
  const server = spawnTs('pitr server', 'api/entries/node.ts', {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: url,
      MIGRATE_ON_START: 'true',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      WEB_DIR: '',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_ENABLED: 'false',
    },
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(server, `${base}/health/ready`, 60_000);
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const create = async (title: string): Promise<{ id: string; ackAt: number } | undefined> => {
    const res = await fetch(`${base}/api/v1/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ title, priority: 'high' }),
      signal: AbortSignal.timeout(5_000),
    }).catch(() => undefined);
    if (res?.status !== 201) return undefined;
    const { id } = (await res.json()) as { id: string };
    return { id, ackAt: Date.now() };
  };
  return { server, create };
}

/** A cluster recovered from the base backup and the archive, promoted once it reached its target. */
async function restore(base: string, archive: string, settings: Record<string, string> = {}) {
  const restored = await startPrivatePostgres({
    populate: async (dataDir) => {
      await runAsClusterOwner('cp', ['-a', base, dataDir]);
      await runAsClusterOwner('touch', [join(dataDir, 'recovery.signal')]);
    },
    settings: {
      // It must not archive into the source's archive.
      archive_mode: 'off',
      restore_command: `cp ${archive}/%f %p`,
      recovery_target_action: 'promote',
      ...settings,
    },
  });
  const deadline = Date.now() + 120_000;
  while ((await query<{ r: boolean }>(restored.url, 'SELECT pg_is_in_recovery() AS r'))[0]?.r) {
    if (Date.now() > deadline) throw new Error('the restored cluster did not leave recovery');
    await sleep(200);
  }
  return restored;
}

const titles = async (url: string, prefix: string) =>
  (await query<{ title: string }>(url, `SELECT title FROM items WHERE title LIKE '${prefix}%' ORDER BY title`)).map(
    (r) => r.title,
  );

describe.skipIf(reason)(`point-in-time recovery on Postgres${reason ? ` (skipped: ${reason})` : ''}`, () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  let primary: PrivatePostgres;
  let app: Awaited<ReturnType<typeof startApp>> & { server: TsChild };
  let archive: string;
  let base: string;

  beforeAll(async () => {
    // The archive_timeout of the chart's Cluster, for this run's value.
    const rendered = await render(found as Helm, {
      values: [cnpgValues({ parameters: { archive_timeout: ARCHIVE_TIMEOUT } })],
    });
    const cluster = find(rendered, 'Cluster', 'edgeplane-postgresql');
    const archiveTimeout = cluster?.spec.postgresql.parameters.archive_timeout as string;
    expect(archiveTimeout).toBe(ARCHIVE_TIMEOUT);

    archive = await clusterOwnedDir('edgeplane-wal-archive-');
    const backups = await clusterOwnedDir('edgeplane-base-backup-');
    cleanup.push(() => runAsClusterOwner('rm', ['-rf', archive, backups]));
    primary = await startPrivatePostgres({
      settings: {
        wal_level: 'replica',
        archive_mode: 'on',
        // The documented form: never overwrite a segment already archived.
        archive_command: `test ! -f ${archive}/%f && cp %p ${archive}/%f`,
        archive_timeout: archiveTimeout,
        // An acknowledged commit is in the primary's WAL, as on the operator's instances.
        synchronous_commit: 'on',
      },
    });
    cleanup.push(() => primary.destroy());
    app = await startApp(primary.url);
    cleanup.push(() => app.server.stop());
    base = join(backups, 'base');
    await runAsClusterOwner(postgresBinary('pg_basebackup'), [
      ...['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres'],
      ...['-D', base, '-X', 'stream', '-c', 'fast'],
    ]);
  }, 180_000);

  afterAll(async () => {
    for (const undo of cleanup.reverse()) await undo().catch(() => {});
  });

  it(
    'restores to a point in time exactly the writes committed before it, from the Cluster the chart renders',
    async () => {
      const before = [];
      for (let i = 0; i < 10; i++) before.push(await app.create(`pitr-before-${String(i).padStart(2, '0')}`));
      expect(before.every(Boolean)).toBe(true);
      const [{ t } = { t: '' }] = await query<{ t: string }>(
        primary.url,
        // Postgres's own form with a numeric offset, as the README advises for targetTime.
        `SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US"+00"') AS t`,
      );
      await sleep(300);
      for (let i = 0; i < 10; i++) expect(await app.create(`pitr-after-${String(i).padStart(2, '0')}`)).toBeDefined();

      // The archive must reach past the target; archive_timeout alone gets it there.
      const [{ segment } = { segment: '' }] = await query<{ segment: string }>(
        primary.url,
        'SELECT pg_walfile_name(pg_current_wal_lsn()) AS segment',
      );
      const writtenAt = Date.now();
      while (
        ((await query<{ w: string | null }>(primary.url, 'SELECT last_archived_wal AS w FROM pg_stat_archiver'))[0]
          ?.w ?? '') < segment
      ) {
        expect(Date.now() - writtenAt, 'archived within archive_timeout').toBeLessThan(archiveTimeoutMs + 5_000);
        await sleep(100);
      }

      // The recovery Cluster the README's steps render: its target is what Postgres recovers to.
      const recovery = await render(found as Helm, {
        values: [
          cnpgValues({
            clusterName: 'edgeplane-pg-restored',
            recovery: { enabled: true, sourceClusterName: 'edgeplane-postgresql', targetTime: t },
          }),
        ],
      });
      const spec = find(recovery, 'Cluster', 'edgeplane-pg-restored')?.spec;
      expect(spec.externalClusters[0].plugin.parameters.serverName).toBe('edgeplane-postgresql');
      const restored = await restore(base, archive, {
        recovery_target_time: postgresTargetTime(spec.bootstrap.recovery.recoveryTarget.targetTime),
      });
      cleanup.push(() => restored.destroy());

      expect(await titles(restored.url, 'pitr-')).toEqual(Array.from({ length: 10 }, (_, i) => `pitr-before-0${i}`));
      // Each item's audit row came back with it, and none of the later ones.
      const audit = await query<{ n: string }>(
        restored.url,
        `SELECT count(*) AS n FROM audit_logs WHERE action = 'item.created'
           AND entity_id IN (SELECT id::text FROM items WHERE title LIKE 'pitr-%')`,
      );
      expect(Number(audit[0]?.n)).toBe(10);
      await restored.destroy();
    },
    archiveTimeoutMs + 180_000,
  );

  it(
    `loses at most archive_timeout (${ARCHIVE_TIMEOUT}) of acknowledged writes when every instance is lost`,
    async () => {
      const acked: { id: string; ackAt: number }[] = [];
      let writing = true;
      const writer = (async () => {
        for (let i = 0; writing; i++) {
          const w = await app.create(`loss-${String(i).padStart(6, '0')}`);
          if (w) acked.push(w);
          await sleep(20);
        }
      })();
      // Long enough for several segment switches by archive_timeout alone.
      await sleep(Math.max(2 * archiveTimeoutMs + 2_000, 6_000));
      // Only the archive survives: no shutdown checkpoint, no last segment archived.
      await primary.crash();
      writing = false;
      await writer;

      const restored = await restore(base, archive);
      cleanup.push(() => restored.destroy());
      const present = new Set(
        (await query<{ id: string }>(restored.url, `SELECT id::text AS id FROM items WHERE title LIKE 'loss-%'`)).map(
          (r) => r.id,
        ),
      );
      const surviving = acked.filter((w) => present.has(w.id));
      const lost = acked.filter((w) => !present.has(w.id));
      const lastAck = Math.max(...acked.map((w) => w.ackAt));
      const lastSurvivingAck = Math.max(...surviving.map((w) => w.ackAt));
      const windowMs = lastAck - lastSurvivingAck;
      console.log(
        `data-loss window with archive_timeout=${ARCHIVE_TIMEOUT}: ${(windowMs / 1000).toFixed(2)} s ` +
          `(${lost.length} of ${acked.length} acknowledged writes lost)`,
      );
      expect(surviving.length).toBeGreaterThan(0);
      // What is lost is the newest writes only: the archive is a prefix of the history.
      expect(Math.min(...lost.map((w) => w.ackAt))).toBeGreaterThanOrEqual(lastSurvivingAck);
      // The bound the README states: archive_timeout, plus the archiver's copy.
      expect(windowMs).toBeLessThanOrEqual(archiveTimeoutMs + 1_500);
      await restored.destroy();
    },
    4 * archiveTimeoutMs + 180_000,
  );

  it("states in the chart's README the RPO its default archive_timeout gives", async () => {
    const rendered = await render(found as Helm, { values: [cnpgValues({})] });
    const timeout = find(rendered, 'Cluster', 'edgeplane-postgresql')?.spec.postgresql.parameters.archive_timeout;
    const minutes = durationMs(timeout) / 60_000;
    const readme = readFileSync(join(CHART_DIR, 'README.md'), 'utf8');
    expect(readme).toContain(`archive_timeout\` (${timeout})`);
    expect(readme).toContain(`RPO ≤ ${minutes} min`);
  });
});
