import { createHash } from 'node:crypto';
import pg from 'pg';
import { CLIENT_TIMEOUT_MARGIN_MS } from '../db/node/pg.ts';
import { freePort, spawnTs, type TsChild, waitForHttp } from './child-process.ts';
import { type PrivatePostgres, startPrivatePostgres, startPrivateRedis } from './private-services.ts';
import { holdsSecret } from './secret-shapes.ts';
import { startWebhookReceiver } from './webhook-receiver.ts';

/**
 * The operator's drill, from outside the process: the Node entry on a Postgres and a
 * Redis of its own, with the job dispatcher busy (an active webhook, so every item
 * write queues a delivery), under a bounded write load while each dependency is
 * stopped, frozen and brought back. The fault suite asserts on what it returns and
 * `npm run bench` (section `faults`) reports it.
 */

/** The drill's statement timeout, and when the client gives up on a server that does not answer at all. */
const STATEMENT_TIMEOUT_MS = 2_000;
const FROZEN_QUERY_LIMIT_MS = STATEMENT_TIMEOUT_MS + CLIENT_TIMEOUT_MARGIN_MS;

export type FaultName = 'postgres stop' | 'postgres freeze' | 'redis stop' | 'redis freeze';

export interface FaultFigures {
  fault: FaultName;
  /**
   * From the fault to the first readiness answer that shows it (503, or the cache check
   * down), among probes sent after it: one already in flight may have read the dependency
   * before the fault and answer up to the probe limit later, rightly saying it was up.
   */
  timeToDetectMs: number | null;
  /** Probes sent during the fault and answered before the dependency began to come back that did not show it. */
  missedProbes: number;
  /** From the dependency's return to readiness answering as before the fault. */
  recoveryMs: number | null;
  /** Answers during the window, by status (`error` for a reset or a time-out of the client). */
  statuses: Record<string, number>;
  /** 503 answers that came without `Retry-After`. */
  unavailableWithoutRetryAfter: number;
  /** Slowest answer to a request started during the fault, in ms. */
  slowestMs: number;
}

/** The server started while its database was down. */
export interface StartupFigures {
  /** `/health/live` answered 200 while the database was down. */
  liveWhileDown: boolean;
  /** What readiness and an API call answered meanwhile. */
  readyStatus: number;
  readyDetail?: string;
  apiStatus: number;
  apiRetryAfter: boolean;
  /** From the database's start to readiness 200. */
  readyAfterDatabaseMs: number | null;
}

export interface DrillReport {
  startup: StartupFigures;
  faults: FaultFigures[];
  /** The server never exited during the drill. */
  survived: boolean;
  exit?: string;
  acknowledgedWrites: number;
  /** Writes answered 201 whose item or whose `item.created` audit row is not in the database. */
  lostWrites: number;
  missingAudit: number;
  /** Jobs not in a final state (succeeded, dead, cancelled) once the drill has waited for them. */
  stuckJobs: number;
  jobsByStatus: Record<string, number>;
  /** The server's log lines. */
  logLines: string[];
  /** The secrets the drill used; none may appear in a log line. */
  secrets: string[];
}

export interface DrillOptions {
  log?: (message: string) => void;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** How long each fault lasts (default 3 s). */
  faultMs?: number;
}

const READY_POLL_MS = 100;
const REQUEST_TIMEOUT_MS = 15_000;
const RECOVERY_LIMIT_MS = 30_000;
const JOBS_SETTLE_LIMIT_MS = 60_000;
const FINAL_JOB_STATES = new Set(['succeeded', 'dead', 'cancelled']);
const ADMIN = { email: 'drill-admin@edgeplane.test', password: 'drill-admin-password-7f3k' };

interface Sample {
  /** When the probe was sent, and when its answer came. */
  sentAt: number;
  at: number;
  status: number | 'error';
  cacheUp?: boolean;
}

interface Answer {
  startedAt: number;
  finishedAt: number;
  status: number | 'error';
  retryAfter: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the whole drill; always stops what it started. */
export async function runFaultDrill(options: DrillOptions = {}): Promise<DrillReport> {
  const log = options.log ?? (() => {});
  const faultMs = options.faultMs ?? 3_000;
  const stack: Array<() => Promise<unknown>> = [];
  try {
    const postgres = await startPrivatePostgres();
    stack.push(() => postgres.destroy());
    const redis = await startPrivateRedis();
    stack.push(() => redis.destroy());
    const receiver = await startWebhookReceiver();
    stack.push(() => receiver.close());
    log(`private postgres on ${postgres.port}, redis on ${redis.port}`);
    // The server starts while its database is down, as after a cluster-wide restart.
    await postgres.stop();

    const logLines: string[] = [];
    const port = await freePort();
    const server = spawnTs('drill server', 'api/entries/node.ts', {
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: postgres.url,
        MIGRATE_ON_START: 'true',
        REDIS_URL: redis.url,
        KV_KEY_PREFIX: 'drill:',
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        LOG_LEVEL: 'info',
        ACCESS_LOG: 'true',
        WEB_DIR: '',
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        RATE_LIMIT_USER_PER_MINUTE: '1000000',
        JOB_POLL_INTERVAL_MS: '100',
        JOB_LEASE_MS: '3000',
        JOB_BACKOFF_BASE_MS: '100',
        JOB_BACKOFF_MAX_MS: '1000',
        JOB_MAX_ATTEMPTS: '20',
        DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
        DATABASE_POOL_SIZE: '8',
      },
      onLine: (line) => logLines.push(line),
    });
    stack.push(() => server.stop());
    const base = `http://127.0.0.1:${port}`;
    const startup = await startWithDatabaseDown(server, base, postgres);

    const api = client(base);
    const token = await api.login(ADMIN);
    const endpoint = receiver.endpoint();
    const webhook = await api.json('POST', '/api/v1/webhooks', token, {
      url: endpoint.url,
      events: ['item.created'],
      description: 'fault drill',
    });
    endpoint.secret = webhook.body.secret as string;
    const key = await api.json('POST', '/api/v1/api-keys', token, { name: 'drill key', role: 'editor' });
    const apiKey = key.body.key as string;
    const secrets = [
      ADMIN.password,
      token,
      endpoint.secret,
      apiKey,
      createHash('sha256').update(apiKey).digest('hex'),
      ...(await storedSecrets(postgres.url)),
    ];

    let exited: string | undefined;
    void server.exited.then((e) => {
      exited = JSON.stringify(e);
    });
    const alive = () => exited === undefined;
    const load = startLoad(api, { token, apiKey, concurrency: options.concurrency ?? 4 });
    const readiness = watchReadiness(base, alive);
    stack.push(() => readiness.stop());

    const faults: FaultFigures[] = [];
    const scenario = async (
      fault: FaultName,
      inject: () => Promise<void>,
      restore: () => Promise<void>,
      detected: (s: Sample) => boolean,
      during?: () => Promise<void>,
      holdMs = faultMs,
    ) => {
      if (!alive()) return;
      await sleep(1_000);
      log(`${fault}: injecting`);
      const from = Date.now();
      await inject();
      const injectedAt = Date.now();
      await during?.();
      await sleep(Math.max(0, holdMs - (Date.now() - injectedAt)));
      // The fault ends as the dependency starts to come back, which may answer before `restore` returns.
      const restoringAt = Date.now();
      await restore();
      const restoredAt = Date.now();
      log(`${fault}: restored`);
      const recoveredAt = await readiness.until(restoredAt, (s) => s.status === 200 && s.cacheUp !== false);
      await sleep(500);
      const window = load.answers.filter((a) => a.startedAt >= from && a.startedAt <= restoredAt);
      const after = load.answers.filter((a) => a.startedAt >= from);
      const statuses: Record<string, number> = {};
      for (const a of after) statuses[String(a.status)] = (statuses[String(a.status)] ?? 0) + 1;
      const probes = readiness.samples.filter((s) => s.sentAt >= injectedAt);
      const firstDetected = probes.find(detected);
      faults.push({
        fault,
        timeToDetectMs: firstDetected ? firstDetected.at - injectedAt : null,
        missedProbes: probes.filter((s) => s.at <= restoringAt && !detected(s)).length,
        recoveryMs: recoveredAt === undefined ? null : recoveredAt - restoredAt,
        statuses,
        unavailableWithoutRetryAfter: after.filter((a) => a.status === 503 && !a.retryAfter).length,
        slowestMs: Math.max(0, ...window.map((a) => a.finishedAt - a.startedAt)),
      });
    };

    await scenario(
      'postgres stop',
      () => postgres.stop(),
      () => postgres.start(),
      (s) => s.status === 503,
      // Statements that carry secrets, failing while the database is gone.
      () => secretBearingRequests(api, token, apiKey),
    );
    await scenario(
      'postgres freeze',
      () => postgres.freeze(),
      () => postgres.thaw(),
      (s) => s.status === 503,
      undefined,
      // Requests caught by the freeze end only at the client-side limit (the server's own
      // timeout cannot fire in a stopped process): hold it past that, so they end as 503s
      // during the fault instead of racing the thaw.
      Math.max(faultMs, FROZEN_QUERY_LIMIT_MS + 1_500),
    );
    await scenario(
      'redis stop',
      () => redis.stop(),
      () => redis.start(),
      (s) => s.cacheUp === false,
    );
    // Connections stay open and nothing answers: rate limits and the cache must give up
    // on it rather than hold every request.
    await scenario(
      'redis freeze',
      () => redis.freeze(),
      () => redis.thaw(),
      (s) => s.cacheUp === false,
    );

    await load.stop();
    await readiness.stop();
    log(`load stopped: ${load.acknowledged.length} writes acknowledged`);
    const outcome = await settle(postgres, load.acknowledged, alive);
    return {
      startup,
      faults,
      survived: exited === undefined,
      exit: exited,
      acknowledgedWrites: load.acknowledged.length,
      ...outcome,
      logLines,
      secrets,
    };
  } finally {
    for (const undo of stack.reverse()) await undo().catch(() => {});
  }
}

/** The server was started with Postgres stopped: it must serve liveness, refuse with 503, and start once Postgres is back. */
async function startWithDatabaseDown(
  server: TsChild,
  base: string,
  postgres: PrivatePostgres,
): Promise<StartupFigures> {
  await waitForHttp(server, `${base}/health/live`, 60_000);
  // Long enough for a few tries with backoff: the process must still be there after them.
  await sleep(2_000);
  const ready = await fetch(`${base}/health/ready`);
  const readyBody = (await ready.json().catch(() => ({}))) as { detail?: string };
  const api = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  await api.arrayBuffer();
  const live = await fetch(`${base}/health/live`);
  await live.arrayBuffer();
  const startedAt = Date.now();
  await postgres.start();
  let readyAfterDatabaseMs: number | null = null;
  try {
    await waitForHttp(server, `${base}/health/ready`, 60_000);
    readyAfterDatabaseMs = Date.now() - startedAt;
  } catch {
    // Reported as null; the caller asserts on it.
  }
  return {
    liveWhileDown: live.status === 200,
    readyStatus: ready.status,
    readyDetail: readyBody.detail,
    apiStatus: api.status,
    apiRetryAfter: api.headers.has('retry-after'),
    readyAfterDatabaseMs,
  };
}

/** What a client of the API needs here: JSON calls with a credential, timed and never throwing. */
function client(base: string) {
  const call = async (method: string, path: string, credential: string | undefined, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (credential) headers.authorization = `Bearer ${credential}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { text };
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };
  return {
    json: call,
    async login(credentials: { email: string; password: string }) {
      const res = await call('POST', '/api/v1/auth/login', undefined, credentials);
      if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.accessToken as string;
    },
  };
}

type Client = ReturnType<typeof client>;

/** The password hashes the database holds: none may ever reach a log line. */
async function storedSecrets(url: string): Promise<string[]> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query<{ password_hash: string | null }>('SELECT password_hash FROM users');
    return rows.map((r) => r.password_hash).filter((h): h is string => Boolean(h));
  } finally {
    await db.end();
  }
}

/** Writes whose statements carry a password hash, a webhook secret, a key hash and a refresh token. */
async function secretBearingRequests(api: Client, token: string, apiKey: string): Promise<void> {
  await Promise.allSettled([
    api.json('POST', '/api/v1/users', token, { email: `drill-${Date.now()}@edgeplane.test`, name: 'Drill' }),
    api.json('POST', '/api/v1/webhooks', token, { url: 'http://127.0.0.1:9/x', events: ['item.created'] }),
    api.json('POST', '/api/v1/api-keys', token, { name: 'drill key 2', role: 'viewer' }),
    api.json('POST', '/api/v1/auth/login', undefined, ADMIN),
    api.json('POST', '/api/v1/auth/refresh', undefined, { refreshToken: `rt_${'x'.repeat(40)}` }),
    api.json('GET', '/api/v1/items?limit=1', apiKey),
  ]);
}

/** A bounded loop of writes (and a read after every third) by `concurrency` clients. */
function startLoad(api: Client, options: { token: string; apiKey: string; concurrency: number }) {
  const answers: Answer[] = [];
  const acknowledged: string[] = [];
  let running = true;
  let n = 0;
  const worker = async () => {
    while (running) {
      const i = n++;
      const startedAt = Date.now();
      let status: number | 'error' = 'error';
      let retryAfter = false;
      try {
        const res =
          i % 4 === 3 && acknowledged.length
            ? await api.json('GET', `/api/v1/items/${acknowledged[acknowledged.length - 1]}`, options.apiKey)
            : await api.json('POST', '/api/v1/items', options.token, { title: `drill item ${i}`, priority: 'high' });
        status = res.status;
        retryAfter = res.headers.has('retry-after');
        if (res.status === 201) acknowledged.push(res.body.id as string);
      } catch {
        status = 'error';
      }
      answers.push({ startedAt, finishedAt: Date.now(), status, retryAfter });
      // Back off on refusals as a well-behaved client would, so an outage is not a busy loop.
      if (status !== 200 && status !== 201) await sleep(50);
    }
  };
  const workers = Array.from({ length: options.concurrency }, worker);
  return {
    answers,
    acknowledged,
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

/**
 * Readiness probed on a fixed period, as the kubelet does: a probe is sent every
 * READY_POLL_MS whether or not the one before has answered, so a probe held by a fault
 * does not delay the next. Samples are kept in the order their answers came.
 */
function watchReadiness(base: string, alive: () => boolean) {
  const samples: Sample[] = [];
  const inFlight = new Set<Promise<void>>();
  const probe = async () => {
    const sentAt = Date.now();
    try {
      const res = await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(5_000) });
      const body = (await res.json().catch(() => ({}))) as { checks?: { cache?: { status?: string } } };
      samples.push({ sentAt, at: Date.now(), status: res.status, cacheUp: body.checks?.cache?.status !== 'down' });
    } catch {
      samples.push({ sentAt, at: Date.now(), status: 'error' });
    }
  };
  const timer = setInterval(() => {
    const sent = probe().finally(() => inFlight.delete(sent));
    inFlight.add(sent);
  }, READY_POLL_MS);
  return {
    samples,
    /** The time of the first sample after `from` that satisfies `ok`, waiting for it up to a limit. */
    async until(from: number, ok: (s: Sample) => boolean): Promise<number | undefined> {
      const deadline = Date.now() + RECOVERY_LIMIT_MS;
      while (Date.now() < deadline && alive()) {
        const hit = samples.find((s) => s.at >= from && ok(s));
        if (hit) return hit.at;
        await sleep(READY_POLL_MS);
      }
      return undefined;
    },
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
    },
  };
}

/** Waits for the jobs to finish, then checks every acknowledged write against the database. */
async function settle(postgres: PrivatePostgres, acknowledged: string[], alive: () => boolean) {
  const db = new pg.Client({ connectionString: postgres.url });
  await db.connect();
  try {
    const deadline = Date.now() + JOBS_SETTLE_LIMIT_MS;
    let jobsByStatus: Record<string, number> = {};
    for (;;) {
      const { rows } = await db.query<{ status: string; n: number }>(
        'SELECT status, count(*)::int AS n FROM jobs GROUP BY status',
      );
      jobsByStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
      const open = rows.filter((r) => !FINAL_JOB_STATES.has(r.status)).reduce((sum, r) => sum + r.n, 0);
      if (open === 0 || Date.now() > deadline || !alive()) break;
      await sleep(250);
    }
    const stuckJobs = Object.entries(jobsByStatus)
      .filter(([status]) => !FINAL_JOB_STATES.has(status))
      .reduce((sum, [, n]) => sum + n, 0);
    const items = await db.query<{ id: string }>('SELECT id::text FROM items WHERE id = ANY($1::uuid[])', [
      acknowledged,
    ]);
    const audited = await db.query<{ entity_id: string }>(
      "SELECT DISTINCT entity_id FROM audit_logs WHERE action = 'item.created' AND entity_id = ANY($1::text[])",
      [acknowledged],
    );
    return {
      lostWrites: acknowledged.length - (items.rowCount ?? 0),
      missingAudit: acknowledged.length - (audited.rowCount ?? 0),
      stuckJobs,
      jobsByStatus,
    };
  } finally {
    await db.end();
  }
}

/** Log lines that contain one of `secrets` (or a secret's shape), each cut to 300 characters. */
export function linesWithSecrets(lines: string[], secrets: string[]): string[] {
  return lines.filter((line) => holdsSecret(line, secrets)).map((line) => line.slice(0, 300));
}
