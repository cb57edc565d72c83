import { count } from 'drizzle-orm';
import { ITEM_PRIORITIES, ITEM_STATUSES } from '../vocabulary/enums.ts';
import type { AuditContext } from './queries/audit.ts';
import { createItem, type ItemInput } from './queries/items.ts';
import { items, users } from './schema.ts';
import type { Database } from './types.ts';

const SYSTEM: AuditContext = { actorType: 'system', actorId: 'seed', requestId: null };

/** The password of every demo user: the embedded default is a local sandbox, and prints it. */
export const DEMO_PASSWORD = 'edgeplane-demo';

const DEMO_USERS = [
  { email: 'admin@edgeplane.local', name: 'Ada Admin', role: 'admin' },
  { email: 'editor@edgeplane.local', name: 'Eddie Editor', role: 'editor' },
  { email: 'viewer@edgeplane.local', name: 'Vera Viewer', role: 'viewer' },
] as const;

/** The demo sign-ins, by role. */
export const DEMO_LOGINS = DEMO_USERS.map((u) => `${u.email} (${u.role})`);

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
];
const TAGS = ['ops', 'security', 'docs', 'database', 'infra', 'reporting'];
const DAY = 86_400_000;

/** True when the database holds neither users nor items. */
export async function isEmpty(db: Database): Promise<boolean> {
  const [u] = await db.select({ n: count() }).from(users);
  const [i] = await db.select({ n: count() }).from(items);
  return (u?.n ?? 0) === 0 && (i?.n ?? 0) === 0;
}

/** Creates demo users and items (each with its audit row). Deterministic for a given `now`. */
export async function seedDemoData(
  db: Database,
  passwordHash: string,
  now = new Date(),
): Promise<{ users: number; items: number }> {
  const created = await db
    .insert(users)
    .values(DEMO_USERS.map((user) => ({ ...user, passwordHash })))
    .onConflictDoNothing()
    .returning({ id: users.id });
  const owners = created.map((u) => u.id);
  const inputs: ItemInput[] = TITLES.flatMap((title, i) =>
    [0, 1].map((round) => {
      const n = i * 2 + round;
      return {
        title: round ? `${title} (follow-up)` : title,
        description: `Demo item ${n + 1}: ${title.toLowerCase()}.`,
        status: ITEM_STATUSES[n % ITEM_STATUSES.length],
        priority: ITEM_PRIORITIES[(n * 3) % ITEM_PRIORITIES.length],
        tags: [TAGS[n % TAGS.length] as string, TAGS[(n + 2) % TAGS.length] as string],
        ownerId: owners.length ? owners[n % owners.length] : null,
        dueAt: n % 3 === 0 ? null : new Date(now.getTime() + ((n % 10) - 3) * DAY),
      };
    }),
  );
  for (const input of inputs) await createItem(db, input, SYSTEM);
  return { users: created.length, items: inputs.length };
}
