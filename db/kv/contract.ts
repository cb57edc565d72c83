import { afterAll, beforeAll, expect, it } from 'vitest';
import type { KeyValueStore } from './port.ts';

export interface ContractTarget {
  /** Opens a store over the backend under test with this key prefix (the same backend each time). */
  open(keyPrefix: string): Promise<KeyValueStore>;
  /** Lets time pass: a fake clock moves, or real time is waited out. */
  wait(ms: number): Promise<void>;
  /** Random per test run, so parallel runs sharing one Redis never collide. */
  keyPrefix: string;
}

/** Checks up to `tries` times, waiting `stepMs` between: time-based tests assert an outcome, never a duration. */
async function eventually(wait: ContractTarget['wait'], check: () => Promise<boolean>, tries = 50, stepMs = 200) {
  for (let i = 0; i < tries; i++) {
    if (await check()) return true;
    await wait(stepMs);
  }
  return false;
}

/**
 * The behaviour every KeyValueStore adapter must share. Call it inside a `describe`;
 * the same tests then run against memory, Redis over TCP and Upstash over REST.
 */
export function defineKeyValueContract(target: () => ContractTarget): void {
  let t: ContractTarget;
  let store: KeyValueStore;
  const opened: KeyValueStore[] = [];
  let n = 0;
  /** A key of its own for each use: tests never see each other's keys. */
  const key = (name: string) => `${name}-${++n}`;

  beforeAll(async () => {
    t = target();
    store = await t.open(t.keyPrefix);
    opened.push(store);
  });
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
  });

  it('Should get what was set, and null for a missing key', async () => {
    const k = key('get');
    expect(await store.get(k)).toBeNull();
    await store.set(k, 'one');
    expect(await store.get(k)).toBe('one');
    await store.set(k, 'two');
    expect(await store.get(k)).toBe('two');
  });

  it('Should keep values as opaque strings', async () => {
    // Numbers, JSON, "OK" and non-ASCII text come back exactly as stored, not parsed or re-encoded.
    const values = ['42', '{"a":[1,2]}', 'OK', '', 'ünïcödé ✓ 日本', ' padded ', 'null'];
    const keys = values.map(() => key('opaque'));
    for (const [i, value] of values.entries()) await store.set(keys[i] as string, value);
    for (const [i, value] of values.entries()) expect(await store.get(keys[i] as string)).toBe(value);
    expect(await store.mget(keys)).toEqual(values);
  });

  it('Should expire a key after its TTL, and drop the TTL when set again without one', async () => {
    const [short, reset, long] = [key('ttl-short'), key('ttl-reset'), key('ttl-long')];
    await store.set(short, 'x', 1);
    await store.set(reset, 'x', 1);
    await store.set(reset, 'kept');
    await store.set(long, 'y', 3_600);
    expect(await eventually(t.wait, async () => (await store.get(short)) === null)).toBe(true);
    expect(await store.get(reset)).toBe('kept');
    expect(await store.get(long)).toBe('y');
  });

  it('Should reject a TTL Redis would reject', async () => {
    await expect(store.set(key('bad-ttl'), 'x', 0)).rejects.toThrow(RangeError);
    await expect(store.incr(key('bad-ttl'), 1.5)).rejects.toThrow(RangeError);
  });

  it('Should get many keys in order, null where missing', async () => {
    const [a, b, missing] = [key('mget-a'), key('mget-b'), key('mget-missing')];
    await store.set(a, 'A');
    await store.set(b, 'B');
    expect(await store.mget([b, missing, a])).toEqual(['B', null, 'A']);
    expect(await store.mget([])).toEqual([]);
  });

  it('Should delete keys and count only those that existed', async () => {
    const [a, b, missing] = [key('del-a'), key('del-b'), key('del-missing')];
    await store.set(a, '1');
    await store.set(b, '2', 60);
    expect(await store.del([a, missing, b])).toBe(2);
    expect(await store.mget([a, b])).toEqual([null, null]);
    expect(await store.del([a])).toBe(0);
    expect(await store.del([])).toBe(0);
  });

  it('Should count 50 concurrent increments exactly, each caller seeing its own value', async () => {
    const k = key('incr-concurrent');
    const values = await Promise.all(Array.from({ length: 50 }, () => store.incr(k, 60)));
    expect([...values].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await store.get(k)).toBe('50');
  });

  it('Should expire a counter once its window ends, never extending it on later increments', async () => {
    const k = key('incr-window');
    expect(await store.incr(k, 2)).toBe(1);
    expect(await store.incr(k, 2)).toBe(2);
    // Incrementing every 250 ms: a window extended by each call would never end.
    let last = 2;
    const reset = await eventually(
      t.wait,
      async () => {
        last = await store.incr(k, 2);
        return last === 1;
      },
      40,
      250,
    );
    expect(reset, `the counter reached ${last} without resetting`).toBe(true);
  });

  it('Should refuse to increment a value that is not an integer', async () => {
    const k = key('incr-text');
    await store.set(k, 'abc');
    await expect(store.incr(k, 60)).rejects.toThrow();
    expect(await store.get(k)).toBe('abc');
  });

  it('Should answer a ping', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('Should keep two key prefixes apart on one backend', async () => {
    const [a, b] = await Promise.all([t.open(`${t.keyPrefix}app-a:`), t.open(`${t.keyPrefix}app-b:`)]);
    opened.push(a, b);
    const k = key('shared-name');
    await a.set(k, 'from a');
    expect(await b.get(k)).toBeNull();
    await b.set(k, 'from b');
    expect(await a.get(k)).toBe('from a');
    expect(await a.incr(`${k}-count`, 60)).toBe(1);
    expect(await b.incr(`${k}-count`, 60)).toBe(1);
    expect(await a.del([k])).toBe(1);
    expect(await b.get(k)).toBe('from b');
    expect(await store.get(k)).toBeNull();
  });
}
