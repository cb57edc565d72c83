import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toJson } from '../dev/upstash-protocol.ts';
import { startUpstashStandIn, type UpstashStandIn } from '../dev/upstash-stand-in.ts';
import { deleteKeysWithPrefix, redisTarget, testKeyPrefix } from './support/redis.ts';

const redis = redisTarget('upstash stand-in');
const p = testKeyPrefix();
const b64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

describe.skipIf(redis.skip)(`${redis.label}`, () => {
  let standIn: UpstashStandIn;
  beforeAll(async () => {
    standIn = await startUpstashStandIn({ redisUrl: redis.url as string, token: 'stand-in-token' });
  });
  afterAll(async () => {
    await standIn?.close();
    await deleteKeysWithPrefix(redis.url as string, p);
  });

  async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${standIn.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${standIn.token}`, ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  }

  it('Should refuse a request without the bearer token with 401', async () => {
    const none = await fetch(`${standIn.url}/`, { method: 'POST', body: '["PING"]' });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: 'Unauthorized' });
    const wrong = await post('/', ['PING'], { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
  });

  it('Should run one command and answer {result}, with plain strings when no encoding is asked', async () => {
    expect(await post('/', ['SET', `${p}plain`, 'héllo', 'EX', 60])).toEqual({ status: 200, body: { result: 'OK' } });
    expect(await post('/', ['GET', `${p}plain`])).toEqual({ status: 200, body: { result: 'héllo' } });
    expect(await post('/', ['GET', `${p}missing`])).toEqual({ status: 200, body: { result: null } });
  });

  it('Should base64 every string at any depth, except the status OK, when the client asks', async () => {
    const base64 = { 'upstash-encoding': 'base64' };
    expect((await post('/', ['SET', `${p}enc`, 'OK'], base64)).body).toEqual({ result: 'OK' });
    // The stored value "OK" is data, not a status: it is encoded.
    expect((await post('/', ['GET', `${p}enc`], base64)).body).toEqual({ result: b64('OK') });
    expect((await post('/', ['PING'], base64)).body).toEqual({ result: b64('PONG') });
    await post('/', ['HSET', `${p}hash`, 'field', 'välue', 'n', '1']);
    expect((await post('/', ['HGETALL', `${p}hash`], base64)).body).toEqual({
      result: [b64('field'), b64('välue'), b64('n'), b64('1')],
    });
    expect((await post('/', ['HLEN', `${p}hash`], base64)).body).toEqual({ result: 2 });
    expect((await post('/', ['MGET', `${p}enc`, `${p}none`], base64)).body).toEqual({ result: [b64('OK'), null] });
  });

  it('Should answer a failing command with 400 and {error}', async () => {
    await post('/', ['SET', `${p}text`, 'abc']);
    const res = await post('/', ['INCR', `${p}text`]);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.stringContaining('not an integer') });
    expect((await post('/', ['SELECT', '1'])).status).toBe(400);
    expect((await post('/', { not: 'a command' })).status).toBe(400);
  });

  it('Should run a pipeline in order, a failing command keeping its own {error}', async () => {
    const res = await post('/pipeline', [
      ['SET', `${p}pipe`, '1'],
      ['INCR', `${p}text`],
      ['INCR', `${p}pipe`],
      ['GET', `${p}pipe`],
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { result: 'OK' },
      { error: expect.stringContaining('not an integer') },
      { result: 2 },
      { result: '2' },
    ]);
  });

  it('Should run multi-exec as one transaction, refusing it whole when a command is invalid', async () => {
    const ok = await post('/multi-exec', [
      ['INCR', `${p}tx`],
      ['EXPIRE', `${p}tx`, 60, 'NX'],
      ['EXPIRE', `${p}tx`, 600, 'NX'],
    ]);
    expect(ok).toEqual({ status: 200, body: [{ result: 1 }, { result: 1 }, { result: 0 }] });
    const refused = await post('/multi-exec', [['INCR', `${p}tx`], ['NO-SUCH-COMMAND']]);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ error: expect.stringContaining('unknown command') });
    expect((await post('/', ['GET', `${p}tx`])).body).toEqual({ result: '1' });
  });

  it('Should serve the real @upstash/redis client, hashes included', async () => {
    const client = new Redis({ url: standIn.url, token: standIn.token, enableTelemetry: false });
    await client.hset(`${p}client-hash`, { a: 'x', b: 'y' });
    expect(await client.hgetall(`${p}client-hash`)).toEqual({ a: 'x', b: 'y' });
    const [count] = await client.multi().incr(`${p}client-n`).expire(`${p}client-n`, 60, 'NX').exec();
    expect(count).toBe(1);
    await expect(client.incr(`${p}text`)).rejects.toThrow(/not an integer/);
  });

  it('Should answer 404 for paths Upstash clients do not use', async () => {
    expect((await post('/set/k/v', [])).status).toBe(404);
  });
});

describe('upstash reply encoding', () => {
  it('Should encode strings recursively, flatten maps and leave numbers, null and OK alone', () => {
    const reply = [new TextEncoder().encode('bytes'), 'QUEUED', 'OK', 7, null, [new Map([['k', 'v']])]];
    expect(toJson(reply, true)).toEqual([b64('bytes'), b64('QUEUED'), 'OK', 7, null, [[b64('k'), b64('v')]]]);
    expect(toJson(reply, false)).toEqual(['bytes', 'QUEUED', 'OK', 7, null, [['k', 'v']]]);
  });
});
