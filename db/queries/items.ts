import {
  and,
  arrayContains,
  asc,
  desc,
  eq,
  ilike,
  inArray,
  isNull,
  or,
  type Placeholder,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { WithSubquery } from 'drizzle-orm/subquery';
import type { WebhookEvent } from '../../vocabulary/enums.ts';
import { insertShape, preparedStatement, shapedValues } from '../prepared.ts';
import { type ItemRow, items } from '../schema.ts';
import type { Database } from '../types.ts';
import { AUDIT_CONTEXT_PLACEHOLDERS, type AuditContext, auditContextValues, auditCte } from './audit.ts';
import { escapeLike } from './escape-like.ts';
import { NOTIFICATIONS_CTE, notificationCte } from './outbox.ts';

export type ItemStatus = ItemRow['status'];
export type ItemPriority = ItemRow['priority'];

export interface ItemInput {
  title: string;
  description?: string | null;
  status?: ItemStatus;
  priority?: ItemPriority;
  tags?: string[];
  ownerId?: string | null;
  dueAt?: Date | null;
}

export type ItemPatch = Partial<ItemInput>;

/**
 * The fields a new item is written with, by one item (`createItem`) or by a whole import
 * chunk (`insertItemRecords`): a new column is added to the schema, `ItemInput` and here.
 */
export const ITEM_INPUT_FIELDS = ['title', 'description', 'status', 'priority', 'tags', 'ownerId', 'dueAt'] as const;

/** An item to insert as JSON carries it: the input's keys, timestamps as ISO 8601 text (Postgres parses them). */
export type ItemRecord = {
  [K in (typeof ITEM_INPUT_FIELDS)[number]]?: K extends 'dueAt' ? string | null : ItemInput[K];
};

/**
 * `insert … select` of many items from one jsonb parameter (a file may hold more values
 * than a statement may have parameters), for the rows of `from` (a guard CTE: no row, no
 * insert). Columns and their types are read from the table, so no field is listed twice.
 */
export function insertItemRecords(records: readonly ItemRecord[], from: SQL): SQL {
  const columns = ITEM_INPUT_FIELDS.map((field) => items[field]);
  const names = sql.join(
    columns.map((column) => sql.identifier(column.name)),
    sql`, `,
  );
  const values = sql.join(
    ITEM_INPUT_FIELDS.map((field) => sql`r.${sql.identifier(field)}`),
    sql`, `,
  );
  const definition = sql.raw(ITEM_INPUT_FIELDS.map((field, i) => `"${field}" ${columns[i]?.getSQLType()}`).join(', '));
  return sql`insert into ${items} (${names})
    select ${values}
    from ${from}, jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(${definition})
    returning *`;
}

export const SORT_KEYS = ['created', 'updated', 'due', 'priority'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface ListItemsParams {
  limit: number;
  sort: SortKey;
  direction: 'asc' | 'desc';
  after?: { value: string; id: string };
  status?: ItemStatus[];
  priority?: ItemPriority[];
  tag?: string;
  ownerId?: string;
  q?: string;
}

/** Sort expressions, each paired with the type its cursor value is cast back to. */
const SORTS: Record<SortKey, { expr: SQL; cast: SQL; cursorValue: (row: ItemRow) => string }> = {
  created: {
    expr: sql`${items.createdAt}`,
    cast: sql`timestamptz`,
    cursorValue: (r) => r.createdAt.toISOString(),
  },
  updated: {
    expr: sql`${items.updatedAt}`,
    cast: sql`timestamptz`,
    cursorValue: (r) => r.updatedAt.toISOString(),
  },
  // Items without a due date sort after every dated item.
  due: {
    expr: sql`coalesce(${items.dueAt}, 'infinity'::timestamptz)`,
    cast: sql`timestamptz`,
    cursorValue: (r) => r.dueAt?.toISOString() ?? 'infinity',
  },
  priority: { expr: sql`${items.priority}`, cast: sql`item_priority`, cursorValue: (r) => r.priority },
};

const live = isNull(items.deletedAt);

/** The list statement for a sort, direction and filters; values or placeholders alike. */
function listQuery(
  db: Database,
  params: Pick<ListItemsParams, 'sort' | 'direction'>,
  filters: SQL[],
  after: { value: unknown; id: unknown } | undefined,
  limit: number | Placeholder,
) {
  const sort = SORTS[params.sort];
  const conditions = [live, ...filters];
  if (after) {
    const op = params.direction === 'desc' ? sql`<` : sql`>`;
    conditions.push(sql`(${sort.expr}, ${items.id}) ${op} (${after.value}::${sort.cast}, ${after.id}::uuid)`);
  }
  const order = params.direction === 'desc' ? desc : asc;
  return db
    .select()
    .from(items)
    .where(and(...conditions))
    .orderBy(order(sort.expr), order(items.id))
    .limit(limit);
}

type ListShape = `${SortKey}:${'asc' | 'desc'}:${'first' | 'after'}`;

// Pages without filters (the dashboard's and most clients' first call, and every next
// page) run a statement built once per sort, direction and cursor.
const unfilteredList = preparedStatement<ItemRow[], ListShape>((db, shape) => {
  const [sort, direction, from] = shape.split(':') as [SortKey, 'asc' | 'desc', string];
  const after = from === 'after' ? { value: sql.placeholder('afterValue'), id: sql.placeholder('afterId') } : undefined;
  return listQuery(db, { sort, direction }, [], after, sql.placeholder('limit'));
});

export type ItemFilterParams = Pick<ListItemsParams, 'status' | 'priority' | 'tag' | 'ownerId' | 'q'>;

function filtersOf(params: ItemFilterParams): SQL[] {
  const filters: SQL[] = [];
  if (params.status?.length) filters.push(inArray(items.status, params.status));
  if (params.priority?.length) filters.push(inArray(items.priority, params.priority));
  if (params.tag) filters.push(arrayContains(items.tags, [params.tag]));
  if (params.ownerId) filters.push(eq(items.ownerId, params.ownerId));
  if (params.q) {
    const pattern = `%${escapeLike(params.q)}%`;
    filters.push(or(ilike(items.title, pattern), ilike(items.description, pattern)) as SQL);
  }
  return filters;
}

/** How many live items the filters match, whatever page a list is on. */
export async function countItems(db: Database, params: ItemFilterParams): Promise<number> {
  const [row] = await db
    .select({ total: sql<number>`count(*)`.mapWith(Number) })
    .from(items)
    .where(and(live, ...filtersOf(params)));
  return row?.total ?? 0;
}

/**
 * Keyset pagination on (sort value, id): a page boundary is a position, not an
 * offset, so rows inserted meanwhile never shift or repeat later pages.
 */
export async function listItems(db: Database, params: ListItemsParams) {
  const filters = filtersOf(params);
  const rows = filters.length
    ? await listQuery(db, params, filters, params.after, params.limit + 1)
    : await unfilteredList(db, `${params.sort}:${params.direction}:${params.after ? 'after' : 'first'}`).execute({
        limit: params.limit + 1,
        afterValue: params.after?.value,
        afterId: params.after?.id,
      });
  const hasMore = rows.length > params.limit;
  const page = hasMore ? rows.slice(0, params.limit) : rows;
  const last = page.at(-1);
  const sort = SORTS[params.sort];
  return {
    rows: page,
    next: hasMore && last ? { value: sort.cursorValue(last), id: last.id } : null,
  };
}

const itemById = preparedStatement<ItemRow[]>((db) =>
  db
    .select()
    .from(items)
    .where(and(eq(items.id, sql.placeholder('id')), live)),
);

/** A live (not deleted) item, or undefined. */
export async function getItem(db: Database, id: string): Promise<ItemRow | undefined> {
  const [row] = await itemById(db).execute({ id });
  return row;
}

// One statement per set of fields given (`insertShape`).
const insertItem = preparedStatement<Array<ItemRow & { jobsQueued: number }>>((db, shape) => {
  const values = shapedValues(shape) as unknown as ItemInput;
  const inserted = db.$with('inserted').as(db.insert(items).values(values).returning());
  const context = AUDIT_CONTEXT_PLACEHOLDERS;
  const audit = auditCte(db, { action: 'item.created', entityType: 'item', table: items, changed: inserted, context });
  const notify = notificationCte(db, { event: 'item.created', table: items, changed: inserted, context });
  return db.with(inserted, audit, notify).select(withJobsQueued(inserted)).from(inserted);
});

/**
 * A change's columns and how many notification jobs its statement queued, so the caller
 * wakes the job queue only when there is something to deliver.
 */
function withJobsQueued(changed: WithSubquery<string, Record<keyof ItemRow, unknown>>) {
  return { ...(changed._.selectedFields as typeof items._.columns), jobsQueued: QUEUED };
}
const QUEUED = sql<number>`(select count(*) from ${sql.identifier(NOTIFICATIONS_CTE)})`.mapWith(Number);

/** What a write returns: the item as written and how many jobs it queued. */
export interface Written {
  item: ItemRow;
  /** Notification jobs queued in the same statement (one per subscribed webhook). */
  jobsQueued: number;
}

function written({ jobsQueued, ...item }: ItemRow & { jobsQueued: number }): Written {
  return { item, jobsQueued };
}

/** Inserts an item, its `item.created` audit row and its webhook notifications in one statement. */
export async function createItem(db: Database, input: ItemInput, context: AuditContext): Promise<Written> {
  const { shape, values } = insertShape(input);
  const [row] = await insertItem(db, shape).execute({ ...values, ...auditContextValues(context) });
  if (!row) throw new Error('insert returned no row');
  return written(row);
}

export type ChangeResult =
  | ({ ok: true } & Written)
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'version_mismatch'; current: ItemRow };

/**
 * Which versions a conditional change accepts: any (the item must exist), or one of
 * a list (possibly empty: the change cannot succeed and reports the current version).
 */
export type ExpectedVersions = readonly number[] | 'any';

/**
 * Applies a patch only if the item is still at one of `expected`, bumping the
 * version, and records `item.updated` with before/after in the same statement.
 */
export async function updateItem(
  db: Database,
  id: string,
  expected: ExpectedVersions,
  patch: ItemPatch,
  context: AuditContext,
): Promise<ChangeResult> {
  return conditionalChange(db, id, expected, 'item.updated', context, {
    ...patch,
    version: sql`${items.version} + 1`,
    updatedAt: sql`now()`,
  });
}

/** Soft-deletes an item (at one of `expected`) with its `item.deleted` audit row. */
export async function deleteItem(
  db: Database,
  id: string,
  expected: ExpectedVersions,
  context: AuditContext,
): Promise<ChangeResult> {
  return conditionalChange(db, id, expected, 'item.deleted', context, {
    deletedAt: sql`now()`,
    version: sql`${items.version} + 1`,
    updatedAt: sql`now()`,
  });
}

async function conditionalChange(
  db: Database,
  id: string,
  expected: ExpectedVersions,
  action: WebhookEvent,
  context: AuditContext,
  set: Parameters<ReturnType<Database['update']>['set']>[0],
): Promise<ChangeResult> {
  const target = and(
    eq(items.id, id),
    live,
    expected === 'any' ? undefined : expected.length ? inArray(items.version, [...expected]) : sql`false`,
  );
  const before = db.$with('before').as(db.select().from(items).where(target));
  const updated = db.$with('updated').as(db.update(items).set(set).where(target).returning());
  const audit = auditCte(db, { action, entityType: 'item', table: items, changed: updated, before, context });
  const notify = notificationCte(db, { event: action, table: items, changed: updated, context });
  const [row] = await db.with(before, updated, audit, notify).select(withJobsQueued(updated)).from(updated);
  if (row) return { ok: true, ...written(row) };
  const current = await getItem(db, id);
  return current ? { ok: false, reason: 'version_mismatch', current } : { ok: false, reason: 'not_found' };
}
