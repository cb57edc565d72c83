import { count, inArray, notInArray, type SQL, sql } from 'drizzle-orm';
import type { ItemPriority, ItemStatus } from '../vocabulary/enums.ts';
import { type AuditContext, snapshot } from './queries/audit.ts';
import { enqueueJob } from './queries/jobs.ts';
import { NOTIFICATION_JOB } from './queries/outbox.ts';
import { items, jobs, users, webhooks } from './schema.ts';
import type { Database } from './types.ts';

/** The password of every demo user: the embedded default is a local sandbox, and prints it. */
export const DEMO_PASSWORD = 'edgeplane-demo';

/** The three sign-ins, one per role; two more teammates own and change items. */
const DEMO_USERS = [
  { email: 'admin@edgeplane.local', name: 'Ada Admin', role: 'admin' },
  { email: 'editor@edgeplane.local', name: 'Eddie Editor', role: 'editor' },
  { email: 'viewer@edgeplane.local', name: 'Vera Viewer', role: 'viewer' },
  { email: 'priya@edgeplane.local', name: 'Priya Raman', role: 'editor' },
  { email: 'tom@edgeplane.local', name: 'Tom Okafor', role: 'editor' },
] as const;

/** The demo sign-ins, by role. */
export const DEMO_LOGINS = DEMO_USERS.slice(0, 3).map((u) => `${u.email} (${u.role})`);

const TITLES = [
  'Rotate the database credentials',
  'Write the incident review for the queue backlog',
  'Upgrade the ingress controller',
  'Add alerting on dead jobs',
  'Document the restore procedure',
  'Tune the autoscaler thresholds',
  'Review API key scopes',
  'Archive last quarter reports',
  'Investigate slow item search',
  'Plan the Postgres major upgrade',
  'Clean up stale feature flags',
  'Load-test the import endpoint',
  'Renew the TLS certificates for the status page',
  'Move nightly backups to the new bucket',
  'Fix flaky login test on mobile Safari',
  'Migrate the billing webhook to signed payloads',
  'Add an owner filter to the items list',
  'Review the on-call rota for December',
  'Cut the container image size',
  'Set up a staging copy of production data',
  'Audit admin accounts without recent sign-ins',
  'Write the runbook for a Redis failover',
  'Add pagination to the audit export',
  'Investigate the 3 a.m. latency spike',
  'Replace the deprecated metrics exporter',
  'Draft the data retention policy',
  'Check the rate limits for the partner API',
  'Speed up the weekly report job',
  'Onboard the analytics team to the API',
  'Retire the legacy CSV endpoint',
  'Add a dark theme screenshot to the docs',
  'Test point-in-time restore on staging',
  'Pin the base image digest in CI',
  'Triage the import errors from the sales upload',
  'Update the dependency audit allowlist',
  'Review the webhook retry schedule',
  'Reduce noise in the dispatcher logs',
  'Add a health check for the object store',
  'Schedule the quarterly access review',
  'Split the items table indexes by status',
  'Find out why reports time out on Mondays',
  'Publish the API changelog for 0.2',
  'Add a due-date reminder webhook',
  'Clean up orphaned report files',
  'Move secrets to the external secret store',
  'Benchmark neon-http against the pooled driver',
  'Write the customer-facing incident summary',
  'Label the dashboards by team',
  'Prepare the capacity plan for next quarter',
  'Fix the timezone in exported CSVs',
  'Verify alert routing after the pager change',
  'Tidy up unused API keys',
  'Add a search box to the jobs page',
  'Test the upgrade path from 0.1 to 0.2',
];
const TAGS = ['ops', 'security', 'docs', 'database', 'infra', 'reporting', 'api', 'customer'];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How far back the demo items go, and the jobs (within the default 14-day job retention). */
const ITEM_DAYS = 30;
const JOB_DAYS = 12;

/** A small deterministic generator (mulberry32): the same demo data for the same `now`. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(next: () => number, weighted: ReadonlyArray<readonly [T, number]>): T {
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = next() * total;
  for (const [value, weight] of weighted) {
    roll -= weight;
    if (roll <= 0) return value;
  }
  return (weighted.at(-1) as readonly [T, number])[0];
}

/** A stable UUID for demo row `name`, so seeding twice inserts nothing the second time. */
async function demoId(name: string): Promise<string> {
  const hash = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`edgeplane-demo:${name}`)),
  );
  hash[6] = ((hash[6] as number) & 0x0f) | 0x80; // version 8: a custom (name-based) UUID
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = Array.from(hash.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A working-hours moment `daysAgo` days before `now` (weekends are quieter, never later than now). */
function workMoment(now: number, daysAgo: number, next: () => number): number {
  const day = new Date(now - daysAgo * DAY);
  day.setUTCHours(8 + Math.floor(next() * 10), Math.floor(next() * 60), Math.floor(next() * 60), 0);
  return Math.min(day.getTime(), now - 5 * 60_000);
}

interface PlannedItem {
  id: string;
  title: string;
  description: string;
  status: ItemStatus;
  priority: ItemPriority;
  tags: string[];
  owner_id: string;
  due_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

interface PlannedEvent {
  item_id: string;
  /** The item's version after this event. */
  n: number;
  action: 'item.created' | 'item.updated';
  status: ItemStatus;
  prev_status: ItemStatus | null;
  at: string;
  prev_at: string | null;
  actor_id: string;
}

/** The demo items and their histories: a month of work, most of it done, some of it late. */
async function planItems(now: number, people: string[]): Promise<{ items: PlannedItem[]; events: PlannedEvent[] }> {
  const next = random(20_261_203);
  const planned: PlannedItem[] = [];
  const events: PlannedEvent[] = [];
  for (const [i, title] of TITLES.entries()) {
    // More recent days are busier; weekends get a third of the work.
    let daysAgo = Math.floor(next() ** 1.3 * ITEM_DAYS);
    const weekday = new Date(now - daysAgo * DAY).getUTCDay();
    if ((weekday === 0 || weekday === 6) && next() < 0.66) daysAgo = Math.max(0, daysAgo - 2);
    const created = workMoment(now, daysAgo, next);
    const age = (now - created) / DAY;
    // Older items are further along.
    const status = pick<ItemStatus>(next, [
      ['pending', age < 5 ? 5 : 2],
      ['in_progress', age < 10 ? 4 : 2],
      ['done', age < 5 ? 2 : 7],
      ['archived', age > 20 ? 2 : 0.2],
    ]);
    const priority = pick<ItemPriority>(next, [
      ['low', 2],
      ['medium', 4.5],
      ['high', 2.5],
      ['urgent', 0.8],
    ]);
    const owner = pick(next, [
      [people[1], 4],
      [people[3], 3],
      [people[4], 2.5],
      [people[0], 1],
    ] as const) as string;
    const creator = next() < 0.7 ? owner : (people[0] as string);
    const due = next() < 0.75 ? created + (3 + Math.floor(next() * 18)) * DAY + 9 * HOUR : null;
    const steps: ItemStatus[] = ['pending'];
    if (status !== 'pending') steps.push('in_progress');
    if (status === 'done' || status === 'archived') steps.push('done');
    if (status === 'archived') steps.push('archived');
    const id = await demoId(`item:${i}`);
    let at = created;
    steps.forEach((step, n) => {
      if (n > 0) {
        const room = now - at;
        at = Math.min(at + Math.max(20 * 60_000, next() * Math.min(room * 0.6, 5 * DAY)), now - 60_000);
      }
      events.push({
        item_id: id,
        n: n + 1,
        action: n === 0 ? 'item.created' : 'item.updated',
        status: step,
        prev_status: n === 0 ? null : (steps[n - 1] as ItemStatus),
        at: new Date(at).toISOString(),
        prev_at: n === 0 ? null : (events.at(-1)?.at ?? null),
        actor_id: n === 0 ? creator : owner,
      });
    });
    const [tagA, tagB, tagC] = [0, 1, 2].map(() => TAGS[Math.floor(next() * TAGS.length)] as string);
    planned.push({
      id,
      title,
      description: `${title}. Tracked for the ${tagA} backlog; see the linked notes for context.`,
      status,
      priority,
      tags: [...new Set(next() < 0.4 ? [tagA, tagB, tagC] : next() < 0.8 ? [tagA, tagB] : [tagA])] as string[],
      owner_id: owner,
      due_at: due === null ? null : new Date(due).toISOString(),
      version: steps.length,
      created_at: new Date(created).toISOString(),
      updated_at: new Date(at).toISOString(),
    });
  }
  return { items: planned, events };
}

/** Inserts the planned items with their audit trails (one row per event) in one statement. */
function insertItemsWithHistory(plan: { items: PlannedItem[]; events: PlannedEvent[] }): SQL {
  const row = snapshot(items, 'seeded');
  return sql`
    with seeded as (
      insert into ${items} (id, title, description, status, priority, tags, owner_id, due_at, version, created_at, updated_at)
      select r.id, r.title, r.description, r.status, r.priority, r.tags, r.owner_id, r.due_at, r.version, r.created_at, r.updated_at
      from jsonb_to_recordset(${JSON.stringify(plan.items)}::jsonb) as r(
        id uuid, title text, description text, status item_status, priority item_priority, tags text[],
        owner_id uuid, due_at timestamptz, version integer, created_at timestamptz, updated_at timestamptz)
      on conflict (id) do nothing
      returning *
    )
    insert into audit_logs (actor_type, actor_id, action, entity_type, entity_id, before, after, created_at)
    select 'user', e.actor_id, e.action, 'item', seeded.id::text,
      case when e.prev_status is null then null
        else ${row} || jsonb_build_object('status', e.prev_status, 'version', e.n - 1, 'updatedAt', e.prev_at) end,
      ${row} || jsonb_build_object('status', e.status, 'version', e.n, 'updatedAt', e.at),
      e.at
    from jsonb_to_recordset(${JSON.stringify(plan.events)}::jsonb) as e(
      item_id uuid, n integer, action text, status item_status, prev_status item_status,
      at timestamptz, prev_at timestamptz, actor_id text)
    join seeded on seeded.id = e.item_id
    order by e.at`;
}

interface PlannedJob {
  id: string;
  type: string;
  status: 'succeeded' | 'dead';
  payload: unknown;
  result: unknown;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  created_by: string;
  created_at: string;
  started_at: string;
  finished_at: string;
}

/**
 * Finished jobs of the last days: the daily retention run (one day retried after a
 * dropped connection) and webhook deliveries to a receiver that started failing, so
 * its subscription was paused. All finished: the dispatcher has nothing to run here.
 */
async function planJobs(now: number, admin: string, webhookId: string, itemIds: string[]): Promise<PlannedJob[]> {
  const next = random(7_141);
  const planned: PlannedJob[] = [];
  for (let day = JOB_DAYS; day >= 1; day--) {
    const created = new Date(now - day * DAY);
    created.setUTCHours(3, 0, 0, 0);
    const retried = day === 6;
    const started = created.getTime() + (retried ? 31_000 : 40);
    const ms = 30 + Math.floor(next() * 160);
    planned.push({
      id: await demoId(`job:cleanup:${day}`),
      type: 'cleanup',
      status: 'succeeded',
      payload: {},
      result: {
        retentionDays: { deletedItemsDays: 30, auditDays: 365, finishedJobsDays: 14 },
        purged: { deletedItems: Math.floor(next() * 3), auditRows: 0, finishedJobs: 0, orphanReports: 0 },
      },
      attempts: retried ? 2 : 1,
      max_attempts: 5,
      last_error: retried ? 'Connection terminated unexpectedly' : null,
      created_by: 'system:scheduler',
      created_at: created.toISOString(),
      started_at: new Date(started).toISOString(),
      finished_at: new Date(started + ms).toISOString(),
    });
  }
  const receiver = 'https://hooks.example.com/edgeplane';
  for (let n = 0; n < 14; n++) {
    const created = now - (JOB_DAYS - 0.5 - n * 0.8) * DAY;
    // Deliveries got slower and then failed outright: the last two gave up after every attempt.
    const dead = n >= 12;
    const attempts = dead ? NOTIFICATION_JOB.maxAttempts : n % 4 === 3 ? 3 : 1;
    const started = created + (attempts > 1 ? 95_000 : 300);
    planned.push({
      id: await demoId(`job:notify:${n}`),
      type: NOTIFICATION_JOB.type,
      status: dead ? 'dead' : 'succeeded',
      payload: { webhookId, event: 'item.updated', data: { id: itemIds[n % itemIds.length] } },
      result: dead ? null : { status: 200 },
      attempts,
      max_attempts: NOTIFICATION_JOB.maxAttempts,
      last_error: dead
        ? `${receiver} answered HTTP 502`
        : attempts > 1
          ? `${receiver} did not answer within 10000 ms`
          : null,
      created_by: `user:${admin}`,
      created_at: new Date(created).toISOString(),
      started_at: new Date(started).toISOString(),
      finished_at: new Date(started + 120 + Math.floor(next() * (dead ? 900 : 400))).toISOString(),
    });
  }
  return planned;
}

function insertJobs(planned: PlannedJob[]): SQL {
  return sql`
    insert into ${jobs} (id, type, status, payload, result, attempts, max_attempts, run_at, last_error, created_by,
      created_at, updated_at, started_at, finished_at, published_at)
    select r.id, r.type, r.status, r.payload, r.result, r.attempts, r.max_attempts, r.created_at, r.last_error,
      r.created_by, r.created_at, r.finished_at, r.started_at, r.finished_at, r.created_at
    from jsonb_to_recordset(${JSON.stringify(planned)}::jsonb) as r(
      id uuid, type text, status job_status, payload jsonb, result jsonb, attempts integer, max_attempts integer,
      last_error text, created_by text, created_at timestamptz, started_at timestamptz, finished_at timestamptz)
    on conflict (id) do nothing`;
}

/** A CSV with two rows the import refuses, so the import page has something to report. */
const DEMO_IMPORT = [
  'title,priority,status,tags,dueAt',
  'Call the data centre about the power test,high,pending,infra,',
  'Update the status page copy,low,pending,docs;customer,',
  ',medium,pending,ops,',
  'Check disk alerts on the replicas,urgent,in_progress,database,',
  'Send the partner API usage report,medium,pending,reporting;api,next tuesday',
  'Review the firewall rules,high,pending,security,',
].join('\n');

const DEMO_EMAILS = DEMO_USERS.map((u) => u.email);

/** True when the database holds neither users nor items. */
export async function isEmpty(db: Database): Promise<boolean> {
  const [u] = await db.select({ n: count() }).from(users);
  const [i] = await db.select({ n: count() }).from(items);
  return (u?.n ?? 0) === 0 && (i?.n ?? 0) === 0;
}

/** True when the database holds users or items the demo data did not put there. */
export async function holdsOtherData(db: Database): Promise<boolean> {
  const ids = await Promise.all(TITLES.map((_, i) => demoId(`item:${i}`)));
  const [u] = await db.select({ n: count() }).from(users).where(notInArray(users.email, DEMO_EMAILS));
  const [i] = await db.select({ n: count() }).from(items).where(notInArray(items.id, ids));
  return (u?.n ?? 0) + (i?.n ?? 0) > 0;
}

/**
 * Creates the demo data: five people, a month of items with their audit trails
 * (created, started, finished, some overdue), the last days of finished jobs, a
 * paused webhook, and a report and an import queued for the dispatcher to run.
 * Idempotent: every row has a stable id or idempotency key, so seeding again adds
 * nothing, and the histories are relative to the first seeding's `now`.
 */
export async function seedDemoData(
  db: Database,
  passwordHash: string,
  now = new Date(),
): Promise<{ users: number; items: number; jobs: number }> {
  const created = await db
    .insert(users)
    .values(DEMO_USERS.map((user) => ({ ...user, passwordHash })))
    .onConflictDoNothing()
    .returning({ id: users.id });
  const people = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(inArray(users.email, DEMO_EMAILS));
  const byEmail = new Map(people.map((p) => [p.email, p.id]));
  const ids = DEMO_EMAILS.map((email) => byEmail.get(email) as string);
  const admin = ids[0] as string;
  const plan = await planItems(now.getTime(), ids);
  const countDemoItems = async () =>
    (
      await db
        .select({ n: count() })
        .from(items)
        .where(
          inArray(
            items.id,
            plan.items.map((i) => i.id),
          ),
        )
    )[0]?.n ?? 0;
  const itemsBefore = await countDemoItems();
  await db.execute(insertItemsWithHistory(plan));

  const webhookId = await demoId('webhook:chat');
  await db
    .insert(webhooks)
    .values({
      id: webhookId,
      url: 'https://hooks.example.com/edgeplane',
      events: ['item.created', 'item.updated'],
      // Paused: no secret of a real receiver; a fresh random one, never shown.
      secret: `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(24))))}`,
      description: 'Team chat notifications (paused after the receiver kept failing)',
      active: false,
      createdAt: new Date(now.getTime() - (JOB_DAYS + 1) * DAY),
    })
    .onConflictDoNothing();
  const history = await planJobs(
    now.getTime(),
    admin,
    webhookId,
    plan.items.map((i) => i.id),
  );
  const countHistory = async () =>
    (
      await db
        .select({ n: count() })
        .from(jobs)
        .where(
          inArray(
            jobs.id,
            history.map((j) => j.id),
          ),
        )
    )[0]?.n ?? 0;
  const jobsBefore = await countHistory();
  await db.execute(insertJobs(history));
  const context: AuditContext = { actorType: 'user', actorId: admin, requestId: null };
  // Queued for the dispatcher to run at start: a real report and a real import.
  const queued = await Promise.all(
    [
      { type: 'generate-report', key: 'report', payload: { format: 'csv', filter: { status: ['in_progress'] } } },
      { type: 'process-data', key: 'import', payload: { format: 'csv', content: DEMO_IMPORT } },
    ].map(({ type, key, payload }) =>
      enqueueJob(
        db,
        { type, payload, idempotencyKey: `demo-data:${key}`, maxAttempts: 5, createdBy: `user:${admin}` },
        context,
      ),
    ),
  );
  return {
    users: created.length,
    items: (await countDemoItems()) - itemsBefore,
    jobs: (await countHistory()) - jobsBefore + queued.filter((q) => q.created).length,
  };
}
