import { describe, expect, it } from 'vitest';
import { defineKeyValueContract } from './contract.ts';
import { createMemoryStore, type MemoryBacking } from './memory.ts';

describe('key-value contract [memory]', () => {
  // A fake clock: expiry is tested by moving time, not by waiting for it.
  let now = Date.parse('2026-01-01T00:00:00Z');
  const backing: MemoryBacking = new Map();
  defineKeyValueContract(() => ({
    keyPrefix: 'test:',
    open: async (keyPrefix) => createMemoryStore({ keyPrefix, backing, clock: () => new Date(now) }),
    wait: async (ms) => {
      now += ms;
    },
  }));
});

describe('memory store', () => {
  it('Should sweep expired keys that are never read again', async () => {
    let now = 0;
    const backing: MemoryBacking = new Map();
    const store = createMemoryStore({ keyPrefix: 'p:', backing, clock: () => new Date(now) });
    for (let i = 0; i < 500; i++) await store.set(`short-${i}`, 'x', 1);
    now += 1_000;
    // Writes of other keys sweep the expired ones, without anyone reading them.
    for (let i = 0; i < 500; i++) await store.set(`long-${i}`, 'y', 60);
    expect(backing.size).toBe(500);
    expect([...backing.keys()].every((k) => k.startsWith('p:long-'))).toBe(true);
  });
});
