import { join } from 'node:path';
import pg from 'pg';
import { freePort, spawnTs, waitForHttp } from '../../dev/child-process.ts';
import { runAsClusterOwner, startPrivatePostgres } from '../../dev/private-services.ts';

/** What k8s/test/pitr.test.ts recovers with: the app writing through its API, restored clusters, queries. */

const ADMIN = { email: 'pitr-admin@edgeplane.test', password: 'pitr-admin-password-5k2q' };

/** Postgres's time units for archive_timeout (a bare number is seconds). */
export function durationMs(text: string): number {
  const m = /^(\d+)(ms|s|min|h|d)?$/.exec(text);
  if (!m) throw new Error(`not a Postgres duration: ${text}`);
  const unit = { ms: 1, s: 1_000, min: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 's'] as number;
  return Number(m[1]) * unit;
}

/**
 * What the operator makes of targetTime for recovery_target_time (ConvertToPostgresFormat):
 * an RFC 3339 time becomes Go's "2006-01-02 15:04:05.000000Z07:00", so UTC ends in `Z`,
 * an abbreviation Postgres cannot read at start-up; any other text is passed on as it is.
 */
export function postgresTargetTime(rfc3339: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(rfc3339);
  if (!m) return rfc3339;
  return `${m[1]} ${m[2]}.${(m[3] ?? '').padEnd(6, '0').slice(0, 6)}${m[4]}`;
}
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The values of a CloudNativePG install with backups; the chart's Cluster carries what the test uses. */
export const cnpgValues = (cloudnativePg: Record<string, unknown>) => ({
  postgresql: {
    mode: 'cloudnative-pg',
    cloudnativePg: {
      ...cloudnativePg,
      backup: { enabled: true, destinationPath: 's3://edgeplane-backups/db', s3Credentials: { existingSecret: 's3' } },
    },
  },
});

export async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The app on `url`, and a client that creates items and says when each was acknowledged. */
export async function startApp(url: string) {
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
export async function restore(base: string, archive: string, settings: Record<string, string> = {}) {
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

export const titles = async (url: string, prefix: string) =>
  (await query<{ title: string }>(url, `SELECT title FROM items WHERE title LIKE '${prefix}%' ORDER BY title`)).map(
    (r) => r.title,
  );
