import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../core/password.ts';
import { migrate } from '../../db/node/migrate.ts';
import { openPg } from '../../db/node/pg.ts';
import { DEMO_PASSWORD, seedDemoData } from '../../db/seed.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../dev/scratch-database.ts';
import { chartHelm, type Helm, type KubeObject, type Manifest, render } from './render.ts';
import { containerEnv, find } from './workloads.ts';

const serverUrl = process.env.TEST_DATABASE_URL;
const found = chartHelm();
const onPath = (c: string) => (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, c)));
const missing = ['bash', 'pg_dump', 'pg_restore'].filter((c) => !onPath(c));
const reason = !serverUrl
  ? 'TEST_DATABASE_URL is not set'
  : missing.length
    ? `${missing.join(', ')} not installed`
    : 'skip' in found
      ? found.skip
      : undefined;

/** What `kubectl create job NAME --from=cronjob/…` creates. */
function jobFromCronJob(cron: KubeObject, name: string): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' } },
    spec: structuredClone(cron.spec.jobTemplate.spec),
  };
}

/** The README's `kubectl set env --local -f - KEY=value -o yaml` step (done in code where kubectl is missing). */
function setEnv(job: KubeObject, vars: Record<string, string>): KubeObject {
  const pairs = Object.entries(vars).map(([k, v]) => `${k}=${v}`);
  if (onPath('kubectl')) {
    const out = spawnSync('kubectl', ['set', 'env', '--local', '-f', '-', ...pairs, '-o', 'json'], {
      input: JSON.stringify(job),
      encoding: 'utf8',
    });
    if (out.status !== 0) throw new Error(`kubectl set env failed: ${out.stderr}`);
    return JSON.parse(out.stdout);
  }
  const copy = structuredClone(job);
  for (const c of copy.spec.template.spec.containers) {
    for (const [name, value] of Object.entries(vars)) {
      const entry = c.env.find((e: { name: string }) => e.name === name);
      if (entry) entry.value = value;
      else c.env.push({ name, value });
    }
  }
  return copy;
}

interface RunResult {
  code: number | null;
  output: string;
}

/**
 * Runs a Job's container here as the kubelet would: its command and the environment the
 * chart gives it, with its volume mounts mapped onto local directories. Only the database
 * host changes (the in-cluster Service name does not resolve here).
 */
function runJob(manifests: Manifest[], job: KubeObject, mounts: Record<string, string>, databaseUrl: string) {
  const [container] = job.spec.template.spec.containers;
  const local = (value: string) => {
    for (const [mountPath, dir] of Object.entries(mounts)) {
      if (value === mountPath || value.startsWith(`${mountPath}/`)) return dir + value.slice(mountPath.length);
    }
    return value;
  };
  const env = Object.fromEntries(
    Object.entries(containerEnv(manifests, container)).map(([k, v]) => [k, local(v)] as const),
  );
  env.DATABASE_URL = databaseUrl;
  const [command, ...args] = ([...container.command, ...(container.args ?? [])] as string[]).map(local);
  return new Promise<RunResult>((resolve) => {
    execFile(command as string, args, { env: { PATH: process.env.PATH, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr });
    });
  });
}

/** Every row of every table, sequence positions and index definitions: what a restore must bring back. */
async function snapshot(url: string): Promise<Record<string, string[]>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, string[]> = {};
    const tables = await client.query<{ s: string; t: string }>(
      `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
    );
    for (const { s, t } of tables.rows) {
      const rows = await client.query<{ r: string }>(`SELECT to_jsonb(x)::text AS r FROM "${s}"."${t}" x ORDER BY 1`);
      out[`${s}.${t}`] = rows.rows.map((row) => row.r);
    }
    const meta = await client.query<{ r: string }>(
      `SELECT format('%s.%s=%s', schemaname, sequencename, last_value) AS r FROM pg_sequences
       UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
       UNION ALL SELECT 'extension ' || extname FROM pg_extension ORDER BY 1`,
    );
    out['(sequences, indexes, extensions)'] = meta.rows.map((row) => row.r);
    return out;
  } finally {
    await client.end();
  }
}

describe.skipIf(reason)(`backup CronJob script against Postgres${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let manifests: Manifest[];
  let cron: KubeObject;
  let db: ScratchDatabase;
  let dir: string;
  let mounts: Record<string, string>;
  const dumps = () =>
    readdirSync(mounts['/backups'] as string)
      .filter((f) => f.endsWith('.dump'))
      .sort();

  beforeAll(async () => {
    manifests = await render(found as Helm, { values: [{ backup: { retention: 3 } }] });
    cron = find(manifests, 'CronJob', 'edgeplane-backup') as KubeObject;
    dir = mkdtempSync(join(tmpdir(), 'edgeplane-backup-'));
    // The pod's volumes: the PVC and the script ConfigMap, as the CronJob mounts them.
    mounts = { '/backups': join(dir, 'backups'), '/scripts': join(dir, 'scripts'), '/tmp': join(dir, 'tmp') };
    for (const d of Object.values(mounts)) mkdirSync(d);
    const scripts = find(manifests, 'ConfigMap', 'edgeplane-backup')?.data;
    for (const [file, text] of Object.entries<string>(scripts))
      writeFileSync(join(mounts['/scripts'] as string, file), text);

    // A database the app's own migrations and demo seed filled.
    db = await createScratchDatabase(serverUrl as string, 'edgeplane_backup');
    const handle = await openPg({ url: db.url, poolSize: 2 });
    try {
      await migrate(handle);
      await seedDemoData(handle.db, await hashPassword(DEMO_PASSWORD));
    } finally {
      await handle.close();
    }
  });

  afterAll(async () => {
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('dumps in custom format and keeps only the newest `retention` dumps', async () => {
    const backups = mounts['/backups'] as string;
    for (const day of ['01', '02', '03', '04'])
      writeFileSync(join(backups, `edgeplane-202001${day}T030000Z.dump`), 'old');
    writeFileSync(join(backups, 'README.txt'), 'not a dump');
    const result = await runJob(manifests, jobFromCronJob(cron, 'edgeplane-backup-now'), mounts, db.url);
    expect(result.code, result.output).toBe(0);
    const kept = dumps();
    expect(kept).toHaveLength(3);
    expect(kept.slice(0, 2)).toEqual(['edgeplane-20200103T030000Z.dump', 'edgeplane-20200104T030000Z.dump']);
    expect(kept[2]).toMatch(/^edgeplane-\d{8}T\d{6}Z\.dump$/);
    expect(
      readFileSync(join(backups, kept[2] as string))
        .subarray(0, 5)
        .toString(),
    ).toBe('PGDMP');
    expect(readdirSync(backups)).toContain('README.txt');
    expect(readdirSync(backups).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('keeps every dump and leaves no partial file when the database cannot be dumped', async () => {
    writeFileSync(join(mounts['/backups'] as string, 'edgeplane-20190101T000000Z.dump'), 'older');
    const before = dumps();
    const broken = new URL(db.url);
    broken.pathname = `/${db.name}_missing`;
    const result = await runJob(manifests, jobFromCronJob(cron, 'edgeplane-backup-now'), mounts, broken.toString());
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/does not exist/);
    expect(dumps()).toEqual(before);
    expect(readdirSync(mounts['/backups'] as string).filter((f) => f.includes('partial'))).toEqual([]);
    rmSync(join(mounts['/backups'] as string, 'edgeplane-20190101T000000Z.dump'));
  });

  it('lists the dumps newest first through BACKUP_ACTION=list', async () => {
    const job = setEnv(jobFromCronJob(cron, 'edgeplane-backup-list'), { BACKUP_ACTION: 'list' });
    const result = await runJob(manifests, job, mounts, db.url);
    expect(result.code, result.output).toBe(0);
    expect(result.output.trim().split('\n')).toEqual([...dumps()].reverse());
  });

  it('restores a dropped database with the documented procedure, row for row', async () => {
    const before = await snapshot(db.url);
    expect(Object.keys(before).length).toBeGreaterThan(5);
    expect(before['public.items']?.length).toBeGreaterThan(0);

    // The database is gone; step 2 creates it empty, step 3 restores the latest dump.
    await db.drop();
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${db.name}"`);
    await admin.end();
    const restore = setEnv(jobFromCronJob(cron, 'edgeplane-restore'), {
      BACKUP_ACTION: 'restore',
      RESTORE_FROM: 'latest',
    });
    const result = await runJob(manifests, restore, mounts, db.url);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/restored edgeplane-\d{8}T\d{6}Z\.dump/);

    expect(await snapshot(db.url)).toEqual(before);
  });

  it('refuses to restore a dump that is not there, changing nothing', async () => {
    const before = await snapshot(db.url);
    const restore = setEnv(jobFromCronJob(cron, 'edgeplane-restore'), {
      BACKUP_ACTION: 'restore',
      RESTORE_FROM: 'edgeplane-19990101T000000Z.dump',
    });
    const result = await runJob(manifests, restore, mounts, db.url);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/no such dump/);
    expect(await snapshot(db.url)).toEqual(before);
  });
});
