import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TsChild } from '../../dev/child-process.ts';
import {
  clusterOwnedDir,
  type PrivatePostgres,
  postgresBinaries,
  postgresBinary,
  runAsClusterOwner,
  startPrivatePostgres,
} from '../../dev/private-services.ts';
import { cnpgValues, durationMs, postgresTargetTime, query, restore, sleep, startApp, titles } from './pitr-harness.ts';
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

const archiveTimeoutMs = durationMs(ARCHIVE_TIMEOUT);

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
