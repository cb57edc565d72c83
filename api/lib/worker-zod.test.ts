import { describe, expect, it } from 'vitest';
import * as zod from 'zod';
import * as lean from './worker-zod.ts';

/** What the Worker's zod leaves out on purpose; anything else zod exports, it must export too. */
const OMITTED = [
  'locales',
  'fromJSONSchema',
  'compile',
  'withParser',
  'ZodCompileAsyncError',
  'ZodCompileUnsupportedError',
];
const OMITTED_FROM_CORE = [
  'locales',
  'compile',
  'compileFn',
  'withParser',
  'ZodCompileAsyncError',
  'ZodCompileUnsupportedError',
];

const keys = (namespace: object) => Object.keys(namespace).sort();

describe('the Worker’s zod (api/lib/worker-zod.ts)', () => {
  it('Should export every member of zod’s namespace but the omitted ones, and the same objects', () => {
    const expected = keys(zod).filter((k) => !OMITTED.includes(k));
    expect(keys(lean)).toEqual(expected);
    const shared = expected.filter((k) => !['core', 'z', 'default', 'iso', 'coerce'].includes(k));
    // Through the `z` objects (plain values): the same functions and classes, not copies.
    const ours = lean.z as unknown as Record<string, unknown>;
    const theirs = zod.z as unknown as Record<string, unknown>;
    for (const k of shared) expect(ours[k], k).toBe(theirs[k]);
    expect(lean.z).toBe(lean.default);
    expect(keys(lean.z)).toEqual(expected);
    expect(
      OMITTED.filter((k) => k in zod),
      'zod still has what is omitted',
    ).toEqual(OMITTED);
  });

  it('Should export every member of zod/v4/core but the locales and the compiler', () => {
    const expected = keys(zod.z.core).filter((k) => !OMITTED_FROM_CORE.includes(k));
    expect(keys(lean.z.core)).toEqual(expected);
  });

  it('Should keep English messages', () => {
    const result = lean.z.string().min(3).safeParse('ab');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('Too small: expected string to have >=3 characters');
  });
});
