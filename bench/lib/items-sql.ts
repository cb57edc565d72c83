import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { CreateItemSchema } from '../../core/items.ts';
import { createItem, getItem, listItems } from '../../db/queries/items.ts';
import * as schema from '../../db/schema.ts';
import type { Database } from '../../db/types.ts';
import { BENCH_USER_ID } from './bench-identity.ts';

/** A statement text with its parameters, some of which are filled per request. */
export interface Template<K extends string> {
  text: string;
  params(values: Record<K, unknown>): unknown[];
}

/** The statements the items API runs for the benchmarked routes, exactly as the app sends them. */
export interface ItemsSql {
  /** The first page, newest first. `fetch` is the page size plus one (the row telling whether more exist). */
  list: Template<'fetch'>;
  get: Template<'id'>;
  /** The insert and its audit row, as one statement. */
  create: Template<'title' | 'requestId'>;
}

// Distinctive values passed through the real query functions, then located among the captured parameters.
const FETCH_MARKER = 7_919;
const ID_MARKER = '00000000-0000-4000-8000-00000000b3ac';
const TITLE_MARKER = 'bench-title-marker-5d1e';
const REQUEST_ID_MARKER = 'bench-request-id-marker-9a07';

interface Statement {
  text: string;
  params: unknown[];
}

/**
 * Runs the app's own query functions (db/queries/items.ts) against a client that
 * records statements instead of executing them, so the baseline server sends the
 * very SQL the app does, and follows it when the queries change.
 */
export async function captureItemsSql(): Promise<ItemsSql> {
  // What the create handler passes for a body holding only a title: the schema's defaults, no due date,
  // and the signed-in bench user as the owner (an item made in person is its maker's).
  const body = { ...CreateItemSchema.parse({ title: TITLE_MARKER }), ownerId: BENCH_USER_ID };
  const [list, get, create] = await Promise.all([
    capture((db) => listItems(db, { limit: FETCH_MARKER - 1, sort: 'created', direction: 'desc' })),
    capture((db) => getItem(db, ID_MARKER)),
    capture((db) =>
      createItem(
        db,
        { ...body, dueAt: undefined },
        // The same actor as the bench's requests to the app, so both write the same audit row.
        { actorType: 'user', actorId: BENCH_USER_ID, requestId: REQUEST_ID_MARKER },
      ),
    ),
  ]);
  return {
    list: template(list, { fetch: FETCH_MARKER }),
    get: template(get, { id: ID_MARKER }),
    create: template(create, { title: TITLE_MARKER, requestId: REQUEST_ID_MARKER }),
  };
}

async function capture(run: (db: Database) => Promise<unknown>): Promise<Statement> {
  const statements: Statement[] = [];
  const recorder = {
    async query(config: { text: string }, params: unknown[] = []) {
      statements.push({ text: config.text, params });
      return { rows: [], fields: [], rowCount: 0 };
    },
  };
  const db = drizzle({ client: recorder as unknown as pg.Pool, schema }) as unknown as Database;
  // With no rows returned, createItem throws after sending its statement; only a failure before that matters.
  await run(db).catch((error: unknown) => {
    if (statements.length === 0) throw error;
  });
  const [statement, ...extra] = statements;
  if (!statement || extra.length) throw new Error(`expected one statement, recorded ${statements.length}`);
  return statement;
}

function template<K extends string>(statement: Statement, markers: Record<K, unknown>): Template<K> {
  // A value may appear more than once (the request id goes into the audit row and the webhook fan-out).
  const slots = (Object.entries(markers) as [K, unknown][]).map(([name, marker]) => {
    const indexes = statement.params.flatMap((param, i) => (param === marker ? [i] : []));
    if (indexes.length === 0) throw new Error(`parameter "${name}" not found in: ${statement.text}`);
    return { name, indexes };
  });
  return {
    text: statement.text,
    params(values) {
      const params = [...statement.params];
      for (const slot of slots) for (const index of slot.indexes) params[index] = values[slot.name];
      return params;
    },
  };
}
