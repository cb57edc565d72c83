/**
 * The Worker's `@neondatabase/serverless` (wrangler.toml `[alias]`): the package's SQL-over-
 * HTTP client only — `neon()`, `neonConfig` (its HTTP settings) and `types` — sending the
 * same requests and returning the same results as the package's 1.2 release. Node, Deno
 * and Bun use the package as published.
 *
 * Why it exists: the package ships as one pre-bundled file whose top level starts its
 * node-postgres, WebSocket, Buffer and EventEmitter shims, so a bundler can leave nothing
 * out: even `import { neon }` alone put 145 KiB of minified code (47 KiB gzip) into the
 * Worker, of which `neon()` reaches about a tenth. The Worker needs only HTTP queries
 * (drizzle-orm/neon-http). Values are parsed by `pg-types`, the same parsers, at the same
 * version, the package bundles. `neon-http-client.test.ts` holds this module to the package:
 * the same request bytes and the same results for the same replies.
 *
 * Left out on purpose: the WebSocket Pool and Client, and the warning the package prints
 * when it runs in a browser (workerd is not one).
 */
import * as pgTypes from 'pg-types';
import { ERROR_FIELDS } from './neon-error-fields.ts';

type Parser = (text: string) => unknown;
type Format = 'text' | 'binary';
type Lazy<T> = T | (() => T | Promise<T>);

/** What parses a column's text by its type OID (`types`, or a query's own `types` option). */
export interface TypeParsers {
  getTypeParser(oid: number, format?: Format): Parser;
}

type FetchEndpoint = string | ((host: string, port: string, options?: { jwtAuth?: boolean }) => string);
type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/** The options `neon()` and each query (or transaction) take. */
export interface NeonOptions {
  arrayMode?: boolean;
  fullResults?: boolean;
  fetchOptions?: RequestInit;
  types?: TypeParsers;
  authToken?: Lazy<string>;
  isolationLevel?: 'ReadUncommitted' | 'ReadCommitted' | 'RepeatableRead' | 'Serializable';
  readOnly?: boolean;
  deferrable?: boolean;
  connectionString?: Lazy<string>;
  user?: Lazy<string>;
  username?: Lazy<string>;
  password?: Lazy<string>;
  host?: Lazy<string>;
  hostname?: Lazy<string>;
  port?: Lazy<string | number>;
  database?: Lazy<string>;
}

interface QueryData {
  query: string;
  params: unknown[];
}

interface Field {
  name: string;
  dataTypeID: number;
}

interface HttpResult {
  fields: Field[];
  rows: unknown[][];
  [key: string]: unknown;
}

// Settings are read at each query, so setting one affects clients made before (as in the package).
const settings: { fetchEndpoint?: FetchEndpoint; fetchFunction?: FetchFunction } = {};
const defaultEndpoint: FetchEndpoint = (host, _port, options) =>
  `https://${host.replace(/^[^.]+\./, options?.jwtAuth ? 'apiauth.' : 'api.')}/sql`;

/** Where and how queries are sent; assigning `undefined` restores the default. */
export const neonConfig = {
  get fetchEndpoint(): FetchEndpoint {
    return settings.fetchEndpoint ?? defaultEndpoint;
  },
  set fetchEndpoint(value: FetchEndpoint | undefined) {
    settings.fetchEndpoint = value;
  },
  get fetchFunction(): FetchFunction | undefined {
    return settings.fetchFunction;
  },
  set fetchFunction(value: FetchFunction | undefined) {
    settings.fetchFunction = value;
  },
};

/**
 * Parsers by type OID, as the package's `types`: pg-types' defaults, plus whatever is set
 * here (drizzle sets its own for dates and intervals). The overrides are this module's
 * own, as the package's bundled copy is: setting one never changes node-postgres's.
 */
class TypeOverrides implements TypeParsers {
  private readonly overrides: Record<Format, Record<number, Parser>> = { text: {}, binary: {} };
  constructor(private readonly base: TypeParsers) {}

  setTypeParser(oid: number, format: Format | Parser, parser?: Parser): void {
    if (typeof format === 'function') [parser, format] = [format, 'text'];
    this.overrides[format][oid] = parser as Parser;
  }

  getTypeParser(oid: number, format: Format = 'text'): Parser {
    return this.overrides[format]?.[oid] ?? this.base.getTypeParser(oid, format);
  }
}

const registry = new TypeOverrides(pgTypes as unknown as TypeParsers);

export const types = {
  builtins: pgTypes.builtins,
  arrayParser: pgTypes.arrayParser,
  getTypeParser: registry.getTypeParser.bind(registry),
  setTypeParser: registry.setTypeParser.bind(registry),
};

/** A Postgres error (HTTP 400, its fields copied), or a failure to reach the endpoint. */
export class NeonDbError extends Error {
  override name = 'NeonDbError';
  severity?: string;
  code?: string;
  detail?: string;
  hint?: string;
  position?: string;
  internalPosition?: string;
  internalQuery?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  dataType?: string;
  constraint?: string;
  file?: string;
  line?: string;
  routine?: string;
  sourceError?: unknown;
}

type Queued = QueryData | SqlTemplate;
type Execute = (data: Queued | Queued[], opts?: unknown, txn?: NeonOptions) => Promise<unknown>;

/** A query that runs when awaited, or is handed to `transaction()` unrun. */
export class NeonQueryPromise implements PromiseLike<unknown> {
  constructor(
    readonly execute: Execute,
    readonly queryData: Queued,
    readonly opts?: NeonOptions,
  ) {}
  // biome-ignore lint/suspicious/noThenProperty: a query is a thenable on purpose, as in the package.
  then<A = unknown, B = never>(
    onfulfilled?: ((value: unknown) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.execute(this.queryData, this.opts).then(onfulfilled, onrejected);
  }
  catch<B = never>(onrejected?: (reason: unknown) => B | PromiseLike<B>): Promise<unknown> {
    return this.execute(this.queryData, this.opts).catch(onrejected);
  }
  finally(onfinally?: () => void): Promise<unknown> {
    return this.execute(this.queryData, this.opts).finally(onfinally);
  }
}

class UnsafeRawSql {
  constructor(readonly sql: string) {}
}

/** A tagged template's strings and values, turned into `$n` placeholders when sent. */
class SqlTemplate {
  constructor(
    readonly strings: readonly string[],
    readonly values: unknown[],
  ) {}

  toParameterizedQuery(into: QueryData = { query: '', params: [] }): QueryData {
    const { strings, values } = this;
    for (let i = 0; i < strings.length; i++) {
      into.query += strings[i];
      if (i >= values.length) continue;
      const value = values[i];
      if (value instanceof UnsafeRawSql) into.query += value.sql;
      else if (value instanceof NeonQueryPromise) {
        if (value.queryData instanceof SqlTemplate) value.queryData.toParameterizedQuery(into);
        else if (value.queryData.params?.length) throw new Error('This query is not composable');
        else into.query += value.queryData.query;
      } else {
        into.params.push(value);
        into.query += `$${into.params.length}`;
        if (ArrayBuffer.isView(value)) into.query += '::bytea';
      }
    }
    return into;
  }
}

const TRANSACTION_ARGUMENT = 'transaction() expects an array of queries, or a function returning an array of queries';
const APPLICATION_NAME = 'edgeplane';

/** Neon's HTTP query function, as `neon()` of @neondatabase/serverless 1.2 makes it. */
export function neon(connectionString?: string | NeonOptions, options: NeonOptions = {}) {
  let url: string | undefined;
  if (typeof connectionString === 'string') url = connectionString;
  else options = connectionString ?? {};

  function sql(strings: TemplateStringsArray, ...values: unknown[]): NeonQueryPromise {
    if (!(Array.isArray(strings) && Array.isArray(strings.raw) && Array.isArray(values))) {
      throw new Error(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the message shows a tagged template (the package's words).
        'This function can now be called only as a tagged-template function: sql`SELECT ${value}`, not sql("SELECT $1", [value], options). For a conventional function call with value placeholders ($1, $2, etc.), use sql.query("SELECT $1", [value], options).',
      );
    }
    return new NeonQueryPromise(execute, new SqlTemplate(strings, values));
  }
  sql.query = (query: string, params?: unknown[], opts?: NeonOptions) =>
    new NeonQueryPromise(execute, { query, params: params ?? [] }, opts);
  sql.unsafe = (text: string) => new UnsafeRawSql(text);
  sql.transaction = async (
    queries: NeonQueryPromise[] | ((s: typeof sql) => NeonQueryPromise[]),
    txn?: NeonOptions,
  ): Promise<unknown> => {
    const list = typeof queries === 'function' ? queries(sql) : queries;
    if (!Array.isArray(list) || !list.every((q) => q instanceof NeonQueryPromise))
      throw new Error(TRANSACTION_ARGUMENT);
    return execute(
      list.map((q) => q.queryData),
      list.map((q) => q.opts ?? {}),
      txn,
    );
  };

  async function execute(data: Queued | Queued[], opts?: unknown, txn?: NeonOptions) {
    const batch = Array.isArray(data);
    // A single query's options; a batch has one object per query (read with the results).
    const perQuery = (batch ? {} : (opts ?? {})) as NeonOptions;
    let { fetchOptions = {}, arrayMode = false, fullResults = false } = options;
    let { isolationLevel, readOnly, deferrable } = options;
    if (txn !== undefined) {
      if (txn.fetchOptions !== undefined) fetchOptions = { ...fetchOptions, ...txn.fetchOptions };
      arrayMode = txn.arrayMode ?? arrayMode;
      fullResults = txn.fullResults ?? fullResults;
      isolationLevel = txn.isolationLevel ?? isolationLevel;
      readOnly = txn.readOnly ?? readOnly;
      deferrable = txn.deferrable ?? deferrable;
    }
    if (perQuery.fetchOptions !== undefined) fetchOptions = { ...fetchOptions, ...perQuery.fetchOptions };
    const authToken = perQuery.authToken ?? options.authToken;

    const body = batch ? { queries: data.map(prepareQuery) } : prepareQuery(data);
    const connection = await resolveConnection(url, merge(options, txn ?? {}, perQuery));
    const { fetchEndpoint, fetchFunction } = neonConfig;
    const endpoint =
      typeof fetchEndpoint === 'function'
        ? fetchEndpoint(connection.url.hostname, connection.url.port, { jwtAuth: authToken !== undefined })
        : fetchEndpoint;
    const headers: Record<string, string> = {
      'Neon-Connection-String': connection.text,
      'Neon-Raw-Text-Output': 'true',
      'Neon-Array-Mode': 'true',
    };
    const token = await resolveAuthToken(authToken);
    if (token) headers.Authorization = `Bearer ${token}`;
    if (batch) {
      if (isolationLevel !== undefined) headers['Neon-Batch-Isolation-Level'] = isolationLevel;
      if (readOnly !== undefined) headers['Neon-Batch-Read-Only'] = String(readOnly);
      if (deferrable !== undefined) headers['Neon-Batch-Deferrable'] = String(deferrable);
    }

    let response: Response;
    try {
      response = await (fetchFunction ?? fetch)(endpoint, {
        method: 'POST',
        body: JSON.stringify(body),
        headers,
        ...fetchOptions,
      });
    } catch (error) {
      const failure = new NeonDbError(`Error connecting to database: ${error}`);
      failure.sourceError = error;
      throw failure;
    }

    if (response.ok) {
      const reply = (await response.json()) as HttpResult & { results?: unknown };
      if (!batch) {
        return processResult(reply, {
          arrayMode: perQuery.arrayMode ?? arrayMode,
          fullResults: perQuery.fullResults ?? fullResults,
          types: perQuery.types,
        });
      }
      const results = reply.results;
      if (!Array.isArray(results)) throw new NeonDbError('Neon internal error: unexpected result format');
      const each = opts as NeonOptions[];
      return results.map((result: HttpResult, i) =>
        processResult(result, {
          arrayMode: each[i]?.arrayMode ?? arrayMode,
          fullResults: each[i]?.fullResults ?? fullResults,
          types: each[i]?.types,
        }),
      );
    }
    if (response.status === 400) {
      const reply = (await response.json()) as Record<string, string | undefined>;
      const error = new NeonDbError(reply.message);
      for (const field of ERROR_FIELDS) error[field] = reply[field] ?? undefined;
      throw error;
    }
    throw new NeonDbError(`Server error (HTTP status ${response.status}): ${await response.text()}`);
  }

  return sql;
}

function processResult(
  result: HttpResult,
  options: { arrayMode: boolean; fullResults: boolean; types?: TypeParsers },
): unknown {
  const parsers = new TypeOverrides(options.types ?? types);
  const names = result.fields.map((f) => f.name);
  const parse = result.fields.map((f) => parsers.getTypeParser(f.dataTypeID));
  const rows = options.arrayMode
    ? result.rows.map((row) => row.map((v, i) => (v === null ? null : (parse[i] as Parser)(v as string))))
    : result.rows.map((row) =>
        Object.fromEntries(row.map((v, i) => [names[i], v === null ? null : (parse[i] as Parser)(v as string)])),
      );
  if (!options.fullResults) return rows;
  return Object.assign(result, {
    viaNeonFetch: true,
    rowAsArray: options.arrayMode,
    rows,
    _parsers: parse,
    _types: parsers,
  });
}

// Later option objects win, except that one naming a connection string replaces the ones before it.
function merge(...sources: NeonOptions[]): NeonOptions {
  let merged: NeonOptions = {};
  for (const source of sources) merged = source.connectionString !== undefined ? source : { ...merged, ...source };
  return merged;
}

const CONNECTION_PARAMS = ['user', 'username', 'password', 'host', 'hostname', 'port', 'database'] as const;
const URL_PARTS: Record<string, 'username' | 'password' | 'hostname' | 'port' | 'pathname'> = {
  user: 'username',
  username: 'username',
  password: 'password',
  host: 'hostname',
  hostname: 'hostname',
  port: 'port',
  database: 'pathname',
};

/** The connection string sent to Neon, and its URL (for the endpoint's host). */
async function resolveConnection(
  fallback: string | undefined,
  params: NeonOptions,
): Promise<{ text: string; url: URL }> {
  let text: unknown = params.connectionString ?? fallback ?? 'postgresql://-';
  if (typeof text === 'function') text = await text();
  if (typeof text !== 'string')
    throw new NeonDbError('Connection string must be a string or a function resolving to one');
  if (params.user !== undefined && params.username !== undefined) {
    throw new NeonDbError('Please specify one only of user and username');
  }
  if (params.host !== undefined && params.hostname !== undefined) {
    throw new NeonDbError('Please specify one only of host and hostname');
  }
  const url = pgUrl(text, false);
  await Promise.all(
    CONNECTION_PARAMS.map(async (key) => {
      let value = params[key];
      if (typeof value === 'function') value = await value();
      if (value === undefined) return;
      if (typeof value !== 'string' && !(key === 'port' && typeof value === 'number')) {
        const or = key === 'port' ? ' or a number' : '';
        throw new NeonDbError(`Connection parameter "${key}" must be a string${or} or a function resolving to one`);
      }
      (url as unknown as Record<string, unknown>)[URL_PARTS[key] as string] = value;
    }),
  );
  if (!url.searchParams.has('application_name')) url.searchParams.append('application_name', APPLICATION_NAME);
  const resolved = `postgresql:${url.href.slice(url.protocol.length)}`;
  return { text: resolved, url: pgUrl(resolved, true) };
}

// Parsed as an http: URL, which (unlike postgres:) gets its host, user and path split out.
function pgUrl(text: string, strict: boolean): URL {
  let protocol: string;
  let url: URL;
  try {
    protocol = new URL(text).protocol;
    url = new URL(`http:${text.slice(protocol.length)}`);
  } catch {
    throw new NeonDbError(
      `Database connection string provided to neon() is not a valid URL (connection string: ${text})`,
    );
  }
  const { username, hostname, pathname } = url;
  if (
    (protocol !== 'postgres:' && protocol !== 'postgresql:') ||
    (strict && (!username || !hostname || hostname === '-' || !pathname || pathname === '/'))
  ) {
    throw new NeonDbError('Wrong URL scheme or missing user, host or database in connection parameters');
  }
  return url;
}

async function resolveAuthToken(token: Lazy<string> | undefined): Promise<string | undefined> {
  if (typeof token === 'string') return token;
  if (typeof token !== 'function') return undefined;
  try {
    return await token();
  } catch (error) {
    throw new NeonDbError(
      error instanceof Error ? `Error getting auth token: ${error.message}` : 'Error getting auth token.',
    );
  }
}

function prepareQuery(data: Queued): QueryData {
  const { query, params } = data instanceof SqlTemplate ? data.toParameterizedQuery() : data;
  return { query, params: params.map((p) => encodeBytes(prepareValue(p))) };
}

/** A value as node-postgres sends it as text (the package runs node-postgres's own). */
function prepareValue(value: unknown, seen: unknown[] = []): unknown {
  if (value === null || value === undefined) return null;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof Date) return dateToString(value);
  if (Array.isArray(value)) return arrayLiteral(value);
  if (typeof value === 'object') return prepareObject(value, seen);
  return String(value);
}

function prepareObject(value: object, seen: unknown[]): unknown {
  const custom = value as { toPostgres?: (prepare: typeof prepareValue) => unknown };
  if (typeof custom.toPostgres !== 'function') return JSON.stringify(value);
  if (seen.includes(value)) throw new Error(`circular reference detected while preparing "${value}" for query`);
  seen.push(value);
  return prepareValue(custom.toPostgres(prepareValue), seen);
}

function arrayLiteral(values: unknown[]): string {
  const items = values.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    if (Array.isArray(v)) return arrayLiteral(v);
    if (v instanceof Uint8Array) return `\\\\x${hex(v)}`;
    const text = String(prepareValue(v));
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}

// Bytes go as bytea's hex text form.
function encodeBytes(value: unknown): unknown {
  return value instanceof Uint8Array ? `\\x${hex(value)}` : value;
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** node-postgres's form of a Date: local time with its UTC offset (workerd's zone is UTC). */
function dateToString(date: Date): string {
  let offset = -date.getTimezoneOffset();
  let year = date.getFullYear();
  const bc = year < 1;
  if (bc) year = Math.abs(year) + 1;
  let text =
    `${pad(year, 4)}-${pad(date.getMonth() + 1, 2)}-${pad(date.getDate(), 2)}` +
    `T${pad(date.getHours(), 2)}:${pad(date.getMinutes(), 2)}:${pad(date.getSeconds(), 2)}.${pad(date.getMilliseconds(), 3)}`;
  if (offset < 0) {
    text += '-';
    offset *= -1;
  } else text += '+';
  text += `${pad(Math.floor(offset / 60), 2)}:${pad(offset % 60, 2)}`;
  return bc ? `${text} BC` : text;
}
