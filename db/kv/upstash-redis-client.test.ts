import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis as PackageRedis } from '@upstash/redis/cloudflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstashStandIn, type UpstashStandIn } from '../../dev/upstash-stand-in.ts';
import { deleteKeysWithPrefix, redisTarget, testKeyPrefix } from '../../test/support/redis.ts';
import { Redis as WorkerRedis } from './upstash-redis-client.ts';

/**
 * The Worker's Upstash client (upstash-redis-client.ts) held to @upstash/redis itself: the
 * same calls through both, against a server that records each request and gives canned
 * replies in Upstash's format, then against the Upstash stand-in in front of a real Redis.
 */

type Call = (...args: unknown[]) => Promise<unknown>;
interface Transaction {
  incr(...args: unknown[]): Transaction;
  expire(...args: unknown[]): Transaction;
  exec(): Promise<unknown>;
}
interface Client {
  get: Call;
  mget: Call;
  set: Call;
  del: Call;
  incr: Call;
  expire: Call;
  ping: Call;
  multi(): Transaction;
}
type Options = Record<string, unknown>;
const make = {
  package: (options: Options) => new PackageRedis(options as never) as unknown as Client,
  worker: (options: Options) => new WorkerRedis(options as never) as unknown as Client,
};

interface Recorded {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}
type Handler = (req: Recorded, res: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let handler: Handler = (_req, res) => res.end('[]');
const recorded: Recorded[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      const { host: _host, connection: _connection, ...headers } = req.headers;
      const request = { path: req.url ?? '', headers, body: JSON.parse(text) };
      recorded.push(request);
      handler(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const b64 = (value: unknown): unknown =>
  typeof value === 'string' ? (value === 'OK' ? 'OK' : Buffer.from(value).toString('base64')) : value;
const json = (res: ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

/** Redis's answer to one command, for the canned replies. */
function answer(command: unknown[]): unknown {
  switch (String(command[0]).toLowerCase()) {
    case 'get':
      return command[1] === 'missing' ? null : `value of ${command[1]}`;
    case 'mget':
      return command.slice(1).map((k) => (k === 'missing' ? null : `value of ${k}`));
    case 'set':
      return 'OK';
    case 'ping':
      return 'PONG';
    default:
      return command.length;
  }
}
const cannedRedis: Handler = (req, res) => {
  const commands = req.path === '/' ? [req.body] : (req.body as unknown[][]);
  const replies = commands.map((c) => ({ result: b64(answer(c as unknown[])) }));
  json(res, req.path === '/' ? replies[0] : replies, 200, { 'upstash-sync-token': `sync-${recorded.length}` });
};

const outcome = (value: unknown): unknown =>
  value instanceof Error
    ? {
        class: value.name,
        message: value.message,
        cause: value.cause instanceof Error ? value.cause.name : value.cause,
      }
    : value;

/** Runs `call` on a client of each kind, made with the same options; expects the same requests and outcome. */
async function expectSame(reply: Handler, options: Options, call: (redis: Client) => Promise<unknown>) {
  const runs = [];
  for (const kind of ['package', 'worker'] as const) {
    handler = reply;
    recorded.length = 0;
    const result = await call(make[kind]({ url: baseUrl, token: 'tok', ...options })).then(
      (value) => outcome(value),
      (error: unknown) => ({ threw: outcome(error) }),
    );
    // Concurrent requests may arrive in either order.
    const requests = [...recorded].sort((a, b) => JSON.stringify(a.body).localeCompare(JSON.stringify(b.body)));
    runs.push({ requests, result });
  }
  expect(runs[1]).toEqual(runs[0]);
  return runs[1] as { requests: Recorded[]; result: unknown };
}

// As db/kv/upstash.ts makes it.
const STORE: Options = {
  automaticDeserialization: false,
  enableTelemetry: false,
  retry: { retries: 2, backoff: () => 1 },
  signal: () => AbortSignal.timeout(2_000),
};

const storeCalls = async (redis: Client) => [
  await redis.set('k', 'v'),
  await redis.set('k', 'v', { ex: 60 }),
  await redis.get('k'),
  await redis.get('missing'),
  await redis.mget('a', 'missing', 'b'),
  await redis.del('a', 'b'),
  await redis.ping(),
  await redis.multi().incr('n').expire('n', 60, 'NX').exec(),
];

describe('the Worker’s Upstash client against @upstash/redis', () => {
  it('Should send the store’s commands as the package does and read the same replies', async () => {
    const { requests } = await expectSame(cannedRedis, STORE, storeCalls);
    expect(requests.map((r) => r.path).sort()).toEqual(['/multi-exec', ...Array(7).fill('/pipeline')]);
    expect(requests[0]?.headers).toMatchObject({ authorization: 'Bearer tok', 'upstash-encoding': 'base64' });
  });

  it('Should send the read-your-writes token of the last reply', async () => {
    const { requests } = await expectSame(cannedRedis, STORE, storeCalls);
    expect(new Set(requests.map((r) => r.headers['upstash-sync-token'])).size).toBe(requests.length);
  });

  it('Should pipeline the commands issued together, reads apart from writes', async () => {
    const { requests } = await expectSame(cannedRedis, STORE, (redis) =>
      Promise.all([
        redis.get('a'),
        redis.set('b', 'x', { nx: true, px: 10 }),
        redis.get('missing'),
        redis.mget(['c', 'd']),
        redis.del('e'),
        redis.ping(['hello']),
      ]),
    );
    expect(requests).toHaveLength(2);
  });

  it('Should send one command at a time without auto-pipelining, and deserialize JSON by default', async () => {
    // Telemetry off: the Worker's client never sends the package's telemetry headers.
    await expectSame(cannedRedis, { enableAutoPipelining: false, enableTelemetry: false }, async (redis) => [
      await redis.set('k', { a: 1 }),
      await redis.get('k'),
      await redis.incr('n'),
      await redis.expire('n', 0),
    ]);
    await expectSame(
      (req, res) => json(res, { result: req.path === '/' ? '[1,"2"]' : null }),
      { responseEncoding: false, readYourWrites: false, enableAutoPipelining: false, enableTelemetry: false },
      (redis) => redis.get('k'),
    );
  });

  it('Should fail the same way: a command error, a refused request, a body that is not JSON', async () => {
    const withErrors: Handler = (req, res) =>
      json(
        res,
        (req.body as unknown[][]).map((c, i) =>
          i === 1 ? { error: 'WRONGTYPE Operation' } : { result: b64(answer(c)) },
        ),
      );
    await expectSame(withErrors, STORE, (redis) =>
      Promise.allSettled([redis.get('a'), redis.get('b'), redis.get('c')]).then((all) =>
        all.map((r) => (r.status === 'fulfilled' ? r.value : outcome(r.reason))),
      ),
    );
    await expectSame(withErrors, STORE, (redis) => redis.multi().incr('n').expire('n', 5).exec());
    await expectSame(
      (_req, res) => json(res, { error: 'Unauthorized' }, 401),
      STORE,
      (redis) => redis.get('k'),
    );
    await expectSame(
      (_req, res) => json(res, '<html>bad gateway</html>', 502),
      STORE,
      (redis) => redis.get('k'),
    );
    await expectSame(
      (_req, res) => json(res, 'not json'),
      STORE,
      (redis) => redis.ping(),
    );
    await expectSame(cannedRedis, STORE, (redis) => redis.multi().exec());
  });

  it('Should retry a dropped connection, and give up at once when the signal times out', async () => {
    const dropped = await expectSame(
      (_req, res) => res.socket?.destroy(),
      STORE,
      (redis) => redis.get('k'),
    );
    expect(dropped.requests).toHaveLength(3);
    const silent = await expectSame(
      () => {},
      { ...STORE, signal: () => AbortSignal.timeout(100) },
      (redis) => redis.get('k'),
    );
    expect(silent.requests).toHaveLength(1);
    expect(silent.result).toMatchObject({ threw: { class: 'TimeoutError' } });
  });

  it('Should refuse a URL that is not http(s) and drop a trailing slash', async () => {
    const refused = (kind: keyof typeof make) => {
      try {
        make[kind]({ url: 'ftp://example.com', token: 't' });
      } catch (error) {
        return outcome(error);
      }
    };
    expect(refused('worker')).toEqual(refused('package'));
    await expectSame(cannedRedis, STORE, (redis) => redis.ping());
    const { requests } = await expectSame(cannedRedis, { ...STORE, url: `${baseUrl}/` }, (redis) => redis.ping());
    expect(requests[0]?.path).toBe('/pipeline');
  });
});

const redis = redisTarget('both clients → REST stand-in → redis');

describe.skipIf(redis.skip)(`the Worker’s Upstash client through the Upstash stand-in [${redis.label}]`, () => {
  let standIn: UpstashStandIn;
  const prefix = testKeyPrefix();
  beforeAll(async () => {
    standIn = await startUpstashStandIn({ redisUrl: redis.url as string });
  });
  afterAll(async () => {
    await standIn?.close();
    await deleteKeysWithPrefix(redis.url as string, prefix);
  });

  it('Should read and write Redis as the package does, expiry included', async () => {
    const run = async (kind: keyof typeof make) => {
      const client = make[kind]({ url: standIn.url, token: standIn.token, ...STORE });
      const k = (name: string) => `${prefix}${kind}:${name}`;
      const results = [
        await client.set(k('a'), 'ünïcode ✓'),
        await client.set(k('b'), '42', { ex: 60 }),
        await Promise.all([client.get(k('a')), client.mget(k('a'), k('b'), k('none')), client.get(k('none'))]),
        await client.multi().incr(k('n')).expire(k('n'), 1, 'NX').exec(),
        await client.multi().incr(k('n')).expire(k('n'), 60, 'NX').exec(),
        await client.del(k('a'), k('none')),
        await client.ping(),
      ];
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      results.push(await client.get(k('n')));
      return results;
    };
    const [theirs, ours] = await Promise.all([run('package'), run('worker')]);
    expect(ours).toEqual(theirs);
    expect(ours.at(-1), 'the first EXPIRE NX stood').toBeNull();
  });
});
