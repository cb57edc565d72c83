import { Column, is, SQL, Subquery, sql } from 'drizzle-orm';
import type { Database } from './types.ts';

/** What drizzle's `.prepare()` returns, on every driver. */
interface Prepared<R> {
  execute(values?: Record<string, unknown>): Promise<R>;
}

/** A drizzle query (select, insert, update…) over `sql.placeholder`s, not yet prepared. */
export interface Preparable<R> {
  toSQL(): { sql: string };
  prepare(name: string): Prepared<R>;
}

const MAX_SHAPES = 64;

/**
 * A hot statement built once per database and shape, then run with new values:
 * drizzle's `.prepare()` over `sql.placeholder`s, so a request pays no statement
 * building (in the profile, drizzle assembling the SQL was a fifth of a request's CPU).
 *
 * On pg the statement is also named, after a hash of its text, so each connection parses
 * and plans it once and then only binds values: planning a job's insert with its audit
 * row cost Postgres more than running it (enqueue: 435 → 244 µs of database CPU). The
 * pg driver leaves the name out when `DATABASE_PREPARED_STATEMENTS=false` (a pooler that
 * cannot hold them); PGlite and neon-http ignore it.
 *
 * Keyed by the database object: a traced request's database (spans per query) gets
 * statements of its own, observed like any other.
 */
export function preparedStatement<R, K extends string = string>(
  build: (db: Database, shape: K) => Preparable<R>,
): (db: Database, shape?: K) => Prepared<R> {
  const byDatabase = new WeakMap<Database, Map<string, Prepared<R>>>();
  return (db, shape = '' as K) => {
    let shapes = byDatabase.get(db);
    if (!shapes) {
      shapes = new Map();
      byDatabase.set(db, shapes);
    }
    let statement = shapes.get(shape);
    if (!statement) {
      // Shapes are a handful per query; the bound only guards a caller that is not.
      if (shapes.size >= MAX_SHAPES) shapes.clear();
      const query = build(db, shape);
      statement = withFlatRowMapper(query.prepare(statementName(query.toSQL().sql)));
      shapes.set(shape, statement);
    }
    return statement;
  };
}

/** What a drizzle prepared query holds on every driver (pg, PGlite, neon-http), read here only. */
interface PreparedInternals {
  fields?: Array<{ path: string[]; field: unknown }>;
  customResultMapper?: (rows: unknown[][]) => unknown;
}

interface Decoder {
  mapFromDriverValue(value: unknown): unknown;
}

/** An SQL fragment's decoder (`.mapWith`), which drizzle's types keep internal. */
const decoderOfSql = (fragment: SQL) => (fragment as unknown as { decoder: Decoder }).decoder;

/**
 * A column read through a CTE or an alias is a Proxy (drizzle's alias handler) that
 * forwards every property but `table`: decoding a value through it ran the trap for the
 * method and again for each property the method reads, per value of every row. A plain
 * copy of the column (same prototype, same own properties, read once here) decodes alike.
 */
function plainColumn(column: Column): Decoder {
  return Object.assign(Object.create(Object.getPrototypeOf(column) as object) as Decoder, column);
}

/** The decoder drizzle's own row mapping picks for a selected field, in the same order. */
function decoderOf(field: unknown): Decoder {
  if (is(field, Column)) return plainColumn(field);
  if (is(field, SQL)) return decoderOfSql(field);
  if (is(field, Subquery)) return decoderOfSql((field._ as unknown as { sql: SQL }).sql);
  return decoderOfSql((field as SQL.Aliased).sql);
}

/**
 * Rows of a statement whose selection is flat (no joined table nested under its name)
 * are mapped by a loop over the columns resolved when it is prepared. drizzle's generic
 * mapping works out each value's decoder and path again for every value of every row:
 * on a page of 20 items that was about 30 µs of a request's CPU. Each value still goes
 * through its column's own decoder, and null stays null, exactly as drizzle maps it.
 * Nested selections (joins) keep drizzle's mapping.
 */
function withFlatRowMapper<P>(prepared: P): P {
  const internals = prepared as PreparedInternals;
  const fields = internals.fields;
  if (!fields || internals.customResultMapper || !fields.every(({ path }) => path.length === 1)) return prepared;
  const keys = fields.map(({ path }) => path[0] as string);
  const decoders = fields.map(({ field }) => decoderOf(field));
  const width = keys.length;
  internals.customResultMapper = (rows) =>
    rows.map((row) => {
      const result: Record<string, unknown> = {};
      for (let i = 0; i < width; i++) {
        const value = row[i];
        result[keys[i] as string] = value === null ? null : (decoders[i] as Decoder).mapFromDriverValue(value);
      }
      return result;
    });
  return prepared;
}

/**
 * `edgeplane_` and a 53-bit hash of the text (cyrb53): the same text always gets the same
 * name, and pg refuses, rather than confuses, two texts under one name.
 */
export function statementName(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `edgeplane_${(4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)}`;
}

/*
 * Inserts prepared per set of fields given: the shape names them (`title,dueAt=null`) and
 * the fields left out take their column defaults, so a handful of statements serve every
 * request. Nulls are written in the statement (column encoders are not meant for null);
 * the other values run as placeholders named `prefix` + field.
 */

/** The shape of an insert of `fields` (undefined ones left out), and its placeholder values. */
export function insertShape(fields: object, prefix = ''): { shape: string; values: Record<string, unknown> } {
  const given = Object.entries(fields).filter(([, value]) => value !== undefined);
  return {
    shape: given.map(([key, value]) => (value === null ? `${key}=null` : key)).join(','),
    values: Object.fromEntries(
      given.filter(([, value]) => value !== null).map(([key, value]) => [prefix + key, value]),
    ),
  };
}

/** The `.values()` of an insert of `shape`: a placeholder per given field, null where it is null. */
export function shapedValues(shape: string, prefix = ''): Record<string, SQL | ReturnType<typeof sql.placeholder>> {
  return Object.fromEntries(
    shape.split(',').map((field) => {
      const [key = '', isNull] = field.split('=');
      return [key, isNull ? sql`null` : sql.placeholder(prefix + key)];
    }),
  );
}
