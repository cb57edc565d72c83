import { createRequire } from 'node:module';
import * as pkg from '@neondatabase/serverless';
import * as pgTypes from 'pg-types';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { type NeonStandIn, startNeonStandIn } from '../../dev/neon-stand-in.ts';
import { backend } from '../../test/support/harness.ts';
import * as worker from './neon-http-client.ts';

/**
 * The Worker's Neon client (neon-http-client.ts) held to @neondatabase/serverless itself:
 * both send the same calls, and what each puts on the wire and returns (or throws) is
 * compared, first for canned replies in Neon's reply format, then through the Neon
 * stand-in in front of this project's database.
 */

interface Sql {
  (strings: TemplateStringsArray, ...values: unknown[]): PromiseLike<unknown>;
  query(query: string, params?: unknown[], options?: object): PromiseLike<unknown>;
  unsafe(text: string): unknown;
  transaction(queries: unknown, options?: object): Promise<unknown>;
}
interface Client {
  neon(url?: unknown, options?: object): Sql;
  neonConfig: { fetchEndpoint: unknown; fetchFunction: unknown };
}
const clients = { package: pkg as unknown as Client, worker: worker as unknown as Client };

interface Sent {
  endpoint: string;
  headers: Record<string, string>;
  body: unknown;
  rest: Record<string, unknown>;
}

/** Every connection string sent, as sent. */
const names: string[] = [];
/** The package names itself in application_name; the Worker names the app. */
const APPLICATION_NAMES = [
  /application_name=pkg%3Anpm%2F%2540neondatabase%2Fserverless%401\.2\.0/,
  /application_name=edgeplane/,
];

/** What a call did: the requests it sent and its result or error, comparable across clients. */
async function observe(
  client: Client,
  reply: (sent: Sent) => Response | Promise<Response>,
  call: (neon: Client['neon']) => PromiseLike<unknown> | unknown,
) {
  const sent: Sent[] = [];
  const saved = { fetchEndpoint: client.neonConfig.fetchEndpoint, fetchFunction: client.neonConfig.fetchFunction };
  client.neonConfig.fetchEndpoint = undefined;
  client.neonConfig.fetchFunction = async (endpoint: string, init: RequestInit) => {
    const { method, body, headers, ...rest } = init;
    const request = {
      endpoint,
      headers: { ...(headers as Record<string, string>) },
      body: JSON.parse(String(body)),
      rest,
    };
    expect(method).toBe('POST');
    const name = request.headers['Neon-Connection-String'] ?? '';
    names.push(name);
    request.headers['Neon-Connection-String'] = APPLICATION_NAMES.reduce(
      (n, p) => n.replace(p, 'application_name=…'),
      name,
    );
    sent.push(request);
    return reply(request);
  };
  try {
    const result = await Promise.resolve()
      .then(() => call(client.neon))
      .then(comparable, (error: unknown) => ({ threw: comparable(error) }));
    return { sent, result };
  } finally {
    client.neonConfig.fetchEndpoint = saved.fetchEndpoint;
    client.neonConfig.fetchFunction = saved.fetchFunction;
  }
}

/** Errors as their own properties; full results without their parser objects (compared by use instead). */
function comparable(value: unknown): unknown {
  if (value instanceof Error) return { ...value, message: value.message, class: value.constructor.name };
  if (Array.isArray(value)) return value.map(comparable);
  if (value && typeof value === 'object' && 'viaNeonFetch' in value) {
    const { _parsers, _types, ...rest } = value as Record<string, unknown>;
    expect((_parsers as unknown[]).length).toBe((rest.fields as unknown[]).length);
    expect(typeof (_types as pgTypesLike).getTypeParser).toBe('function');
    return rest;
  }
  return value;
}
type pgTypesLike = { getTypeParser: unknown };

/** Runs the call with both clients and expects the same requests and the same outcome. */
async function expectSame(
  reply: (sent: Sent) => Response | Promise<Response>,
  call: (neon: Client['neon']) => PromiseLike<unknown> | unknown,
) {
  const theirs = await observe(clients.package, reply, call);
  const ours = await observe(clients.worker, reply, call);
  expect(ours).toEqual(theirs);
  return ours;
}

const URL_ = 'postgres://app:s3cret@ep-cool-name-123456.eu-central-1.aws.neon.tech/appdb?sslmode=require';
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const one = (fields: [string, number][], rows: (string | null)[][]) => ({
  command: 'SELECT',
  rowCount: rows.length,
  rowAsArray: true,
  fields: fields.map(([name, dataTypeID]) => ({
    name,
    dataTypeID,
    tableID: 0,
    columnID: 0,
    dataTypeSize: -1,
    dataTypeModifier: -1,
    format: 'text',
  })),
  rows,
});
const ok = () => json(one([['n', 23]], [['1']]));

// Types drizzle's neon-http driver turns back into text (it parses them itself); they are
// compared once drizzle's setting is made on both, below.
const DRIZZLE_TEXT_TYPES = [1184, 1114, 1082, 1186, 1231, 1115, 1185, 1187, 1182];

const TYPED: [string, number, string][] = [
  ['int2', 21, '-7'],
  ['int4', 23, '42'],
  ['int8', 20, '9007199254740993'],
  ['oid', 26, '1259'],
  ['float4', 700, '1.5'],
  ['float8', 701, '-2.25e-5'],
  ['numeric', 1700, '12345678901234567890.5'],
  ['bool', 16, 't'],
  ['text', 25, "it's"],
  ['uuid', 2950, '1b4e28ba-2fa1-11d2-883f-0016d3cca427'],
  ['json', 114, '{"a":[1,"x",null]}'],
  ['jsonb', 3802, '[{"b":true}]'],
  ['point', 600, '(1.5,-2)'],
  ['circle', 718, '<(1,2),3>'],
  ['int4[]', 1007, '{1,NULL,3}'],
  ['int8[]', 1016, '{9007199254740993,-1}'],
  ['text[]', 1009, '{a,"b c",NULL,"q\\"uote"}'],
  ['bool[]', 1000, '{t,f,NULL}'],
  ['float8[]', 1022, '{1.5,NaN}'],
  ['jsonb[]', 3807, '{"{\\"a\\": 1}",NULL}'],
  ['uuid[]', 2951, '{1b4e28ba-2fa1-11d2-883f-0016d3cca427}'],
  ['enum', 16_390, 'in_progress'],
  ['xid8', 5069, '771'],
];
const DRIZZLE_TYPED: [string, number, string][] = [
  ['timestamptz', 1184, '2026-03-04 05:06:07.089+00'],
  ['timestamp', 1114, '2026-03-04 05:06:07.089'],
  ['date', 1082, '2026-03-04'],
  ['interval', 1186, '1 day 02:03:04'],
  ['numeric[]', 1231, '{1.5,2}'],
  ['timestamptz[]', 1185, '{"2026-03-04 05:06:07+00"}'],
];
const typedReply = (columns: [string, number, string][]) =>
  one(
    columns.map(([name, oid]) => [name, oid]),
    [columns.map(([, , text]) => text), columns.map(() => null)],
  );

describe('the Worker’s Neon client against @neondatabase/serverless', () => {
  it('Should start with pg-types’ parsers, in a registry of its own', () => {
    for (const oid of [...Object.values(pgTypes.builtins), ...TYPED.map(([, o]) => o), ...DRIZZLE_TEXT_TYPES]) {
      expect(worker.types.getTypeParser(oid), String(oid)).toBe(pgTypes.getTypeParser(oid));
    }
    worker.types.setTypeParser(3802, (text) => `mine:${text}`);
    expect(worker.types.getTypeParser(3802)('x')).toBe('mine:x');
    expect(pgTypes.getTypeParser(3802)('{}'), 'node-postgres keeps its parser').toEqual({});
    worker.types.setTypeParser(3802, 'text', pgTypes.getTypeParser(3802));
  });

  it('Should send a query as the package does and parse every type the same, by mode', async () => {
    for (const options of [{}, { arrayMode: true }, { fullResults: true }, { arrayMode: true, fullResults: true }]) {
      await expectSame(
        () => json(typedReply(TYPED)),
        (neon) => neon(URL_).query('select $1::text', ['x'], options),
      );
      await expectSame(
        () => json(typedReply(TYPED)),
        (neon) => neon(URL_, options).query('select 1'),
      );
    }
  });

  it('Should parse what drizzle leaves as text the same once drizzle has said so', async () => {
    for (const oid of DRIZZLE_TEXT_TYPES) {
      pkg.types.setTypeParser(oid, (v: string) => v);
      worker.types.setTypeParser(oid, (v: string) => v);
    }
    const { result } = await expectSame(
      () => json(typedReply(DRIZZLE_TYPED)),
      (neon) => neon(URL_).query('select', [], { arrayMode: true }),
    );
    expect((result as unknown[][])[0]).toEqual(DRIZZLE_TYPED.map(([, , text]) => text));
  });

  it('Should send every kind of parameter in the same text form', async () => {
    const circular: { toPostgres?: () => unknown } = {};
    circular.toPostgres = () => circular;
    const params = [
      'text',
      'it\'s \\ "quoted"',
      42,
      -1.5,
      true,
      false,
      null,
      undefined,
      10n,
      new Date(Date.UTC(2026, 2, 4, 5, 6, 7, 89)),
      new Date('0000-06-15T12:00:00Z'),
      ['a', 'b "c"', 'back\\slash', null, undefined, ['nested', 1], 2, true, new Date(0), { j: 1 }],
      { a: 1, b: [1, 'x', null] },
      { toPostgres: () => 'custom' },
      { toPostgres: () => ({ nested: true }) },
      new Uint8Array([0, 1, 254, 255]),
      Buffer.from('hi'),
      new DataView(new Uint8Array([9, 8, 7]).buffer, 1),
    ];
    const { sent } = await expectSame(ok, (neon) => neon(URL_).query('select', params));
    expect(sent[0]?.body).toMatchObject({ params: expect.arrayContaining(['\\x0001feff', '\\x6869', '\\x0807']) });
    await expectSame(ok, (neon) => neon(URL_).query('select', [circular]));
  });

  it('Should build tagged templates, composed queries and raw SQL the same', async () => {
    await expectSame(ok, (neon) => {
      const sql = neon(URL_);
      const where = sql`where a = ${1} and b = ${'two'}`;
      return sql`select ${new Uint8Array([1])}, ${sql.unsafe('now()')} from t ${where} and ${sql.query('c is null')}`;
    });
    await expectSame(ok, (neon) => {
      const sql = neon(URL_);
      return sql`select ${sql.query('select $1', [1])}`;
    });
    await expectSame(ok, (neon) => (neon(URL_) as unknown as (q: string) => unknown)('select 1'));
  });

  it('Should send a transaction with its batch headers and per-query options', async () => {
    const batch = { results: [typedReply(TYPED), typedReply(TYPED.slice(0, 3))] };
    await expectSame(
      () => json(batch),
      (neon) => {
        const sql = neon(URL_, { fetchOptions: { priority: 'high' } });
        return sql.transaction([sql.query('select $1', [1], { arrayMode: true }), sql`select ${2}`], {
          isolationLevel: 'Serializable',
          readOnly: true,
          deferrable: false,
          fullResults: true,
          fetchOptions: { keepalive: true },
        });
      },
    );
    await expectSame(
      () => json(batch),
      (neon) => neon(URL_).transaction((sql: Sql) => [sql`select 1`, sql`select 2`]),
    );
    await expectSame(
      () => json({ results: 'nope' }),
      (neon) => neon(URL_).transaction([neon(URL_)`select 1`]),
    );
    await expectSame(ok, (neon) => neon(URL_).transaction('select 1'));
    await expectSame(ok, (neon) => neon(URL_).transaction([Promise.resolve(1)]));
  });

  it('Should resolve the connection string and its parameters the same', async () => {
    const calls: ((neon: Client['neon']) => PromiseLike<unknown>)[] = [
      (neon) => neon('postgresql://u:p@ep-x-1.aws.neon.tech:5433/db?application_name=mine').query('select 1'),
      (neon) => neon({ connectionString: URL_ }).query('select 1'),
      (neon) => neon({ connectionString: async () => URL_ }).query('select 1'),
      (neon) =>
        neon(URL_, {
          user: 'other',
          password: () => 'pw',
          port: 5433,
          database: 'db2',
          hostname: 'ep-y-2.neon.tech',
        }).query('select 1'),
      (neon) => neon(URL_, { user: 'a', username: 'b' }).query('select 1'),
      (neon) => neon(URL_, { host: 'a', hostname: 'b' }).query('select 1'),
      (neon) => neon(URL_, { port: true }).query('select 1'),
      (neon) => neon(URL_).query('select 1', [], { connectionString: 'postgres://v:w@ep-z-3.neon.tech/other' }),
      (neon) => neon('mysql://u:p@host/db').query('select 1'),
      (neon) => neon('postgres://u:p@host/').query('select 1'),
      (neon) => neon('not a url').query('select 1'),
      (neon) => neon().query('select 1'),
      (neon) => neon({ connectionString: 42 }).query('select 1'),
    ];
    names.length = 0;
    for (const call of calls) await expectSame(ok, call);
    // Sent by the package, then by the Worker's client, for each call that got as far as sending.
    const sentByWorker = names.filter((_, i) => i % 2 === 1);
    expect(sentByWorker[0]).toBe('postgresql://u:p@ep-x-1.aws.neon.tech:5433/db?application_name=mine');
    expect(sentByWorker[1]).toBe(
      'postgresql://app:s3cret@ep-cool-name-123456.eu-central-1.aws.neon.tech/appdb?sslmode=require&application_name=edgeplane',
    );
  });

  it('Should send an auth token and ask for the authenticated endpoint', async () => {
    const { sent } = await expectSame(ok, (neon) => neon(URL_, { authToken: 'tok' }).query('select 1'));
    expect(sent[0]).toMatchObject({
      endpoint: 'https://apiauth.eu-central-1.aws.neon.tech/sql',
      headers: { Authorization: 'Bearer tok' },
    });
    await expectSame(ok, (neon) => neon(URL_).query('select 1', [], { authToken: async () => 'later' }));
    await expectSame(ok, (neon) =>
      neon(URL_, {
        authToken: () => {
          throw new Error('no session');
        },
      }).query('select 1'),
    );
  });

  it('Should fail the same way: a Postgres error, a server error, no connection', async () => {
    const postgresError = {
      message: 'duplicate key value violates unique constraint "users_email_lower_key"',
      severity: 'ERROR',
      code: '23505',
      detail: 'Key (lower(email))=(a@b.c) already exists.',
      schema: 'public',
      table: 'users',
      constraint: 'users_email_lower_key',
      file: 'nbtinsert.c',
      line: '666',
      routine: '_bt_check_unique',
    };
    const { result } = await expectSame(
      () => json(postgresError, 400),
      (neon) => neon(URL_).query('insert'),
    );
    expect(result).toMatchObject({ threw: { class: 'NeonDbError', name: 'NeonDbError', code: '23505' } });
    await expectSame(
      () => new Response('upstream down', { status: 503 }),
      (neon) => neon(URL_).query('select 1'),
    );
    await expectSame(
      () => Promise.reject(new TypeError('fetch failed')),
      (neon) => neon(URL_).query('select 1'),
    );
  });
});

describe(`the Worker’s Neon client through the Neon stand-in (${backend.label})`, () => {
  let standIn: NeonStandIn;
  let url: string;
  const saved = worker.neonConfig.fetchEndpoint;
  const savedPackage = pkg.neonConfig.fetchEndpoint;
  beforeAll(async () => {
    if (backend.skip) return;
    const postgresUrl = backend.name === 'postgres' ? (inject('postgresUrl') as string) : undefined;
    standIn = await startNeonStandIn(postgresUrl ? { upstreamUrl: postgresUrl } : {});
    // Any user, host and database name reach the stand-in's one PGlite.
    url = postgresUrl ?? 'postgres://postgres@pglite.local/edgeplane';
  });
  afterEach(() => {
    worker.neonConfig.fetchEndpoint = saved;
    pkg.neonConfig.fetchEndpoint = savedPackage;
  });
  afterAll(() => standIn?.close());

  const both = () => {
    worker.neonConfig.fetchEndpoint = () => standIn.url;
    pkg.neonConfig.fetchEndpoint = () => standIn.url;
    return [worker.neon(url), pkg.neon(url)] as const;
  };

  it.skipIf(backend.skip)('Should read the same rows of many types', async () => {
    const statement = `select 1::int2 as a, 2::int4 as b, 9007199254740993::int8 as c, 1.5::float8 as d, 1.25::numeric as e,
      true as f, 'x''y' as g, '{"k":[1,null]}'::jsonb as h, array['a', null, 'b c']::text[] as i, array[1, 2]::int4[] as j,
      gen_random_uuid() is not null as k, null::text as l, $1::text as m, $2::int as n, $3::jsonb as o, $4::text[] as p`;
    const params = ['p\\"', 7, { q: [1, 'r'] }, ['s', null, 't"u']];
    const [ours, theirs] = both();
    for (const options of [{}, { arrayMode: true }, { fullResults: true }]) {
      const [a, b] = await Promise.all([
        ours.query(statement, params, options),
        theirs.query(statement, params, options),
      ]);
      expect(comparable(a)).toEqual(comparable(b));
    }
  });

  it.skipIf(backend.skip)(
    'Should run a transaction atomically and report the failing statement as the package does',
    async () => {
      const table = `neon_client_${crypto.randomUUID().replaceAll('-', '')}`;
      const [ours, theirs] = both();
      await ours.query(`create table ${table} (n int primary key)`);
      try {
        const failing = (sql: typeof ours) =>
          sql
            .transaction([
              sql`insert into ${sql.unsafe(table)} values (1)`,
              sql`insert into ${sql.unsafe(table)} values (1)`,
            ])
            .catch((error: unknown) => error);
        const [a, b] = await Promise.all([failing(ours), failing(theirs as unknown as typeof ours)]);
        expect(comparable(a)).toEqual(comparable(b));
        expect(a).toMatchObject({ name: 'NeonDbError', code: '23505' });
        expect(await ours.query(`select count(*)::int as n from ${table}`)).toEqual([{ n: 0 }]);
        const [inserted, counted] = (await ours.transaction(
          [
            ours.query(`insert into ${table} values ($1) returning n`, [5]),
            ours.query(`select count(*)::int as n from ${table}`),
          ],
          { isolationLevel: 'Serializable' },
        )) as unknown[][];
        expect([inserted, counted]).toEqual([[{ n: 5 }], [{ n: 1 }]]);
      } finally {
        await ours.query(`drop table ${table}`);
      }
    },
  );
});

describe('the Worker’s bytea parser (pg-bytea.cjs)', () => {
  const require = createRequire(import.meta.url);
  const ours = require('./pg-bytea.cjs') as (text: string) => Uint8Array;
  const theirs = require('postgres-bytea') as (text: string) => Buffer;

  it('Should read both of Postgres’s bytea formats into the bytes postgres-bytea reads', () => {
    for (const text of [
      '\\x',
      '\\x0001feff',
      '\\xDEADbeef',
      '\\x0g12',
      '\\x123',
      'abc',
      'a\\000b\\377\\\\c',
      '\\\\\\\\',
      'é',
    ]) {
      const parsed = ours(text);
      expect(parsed, text).toBeInstanceOf(Uint8Array);
      expect([...parsed], text).toEqual([...theirs(text)]);
    }
  });
});
