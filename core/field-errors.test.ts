import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldErrors, invalidFields } from './field-errors.ts';

const errorOf = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected the value to be refused');
  return result.error;
};

describe('field errors', () => {
  const Body = z.strictObject({
    title: z.string(),
    meta: z.strictObject({ color: z.string() }).optional(),
  });

  it('Should name each key a strict object refuses, at its own path', () => {
    const errors = fieldErrors(
      errorOf(Body, { title: 't', extra: 1, other: 2, meta: { color: 'r', size: 3 } }),
      'json',
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'extra', in: 'body', message: 'Unknown field' },
        { field: 'other', in: 'body', message: 'Unknown field' },
        { field: 'meta.size', in: 'body', message: 'Unknown field' },
      ]),
    );
    expect(errors).toHaveLength(3);
  });

  it('Should keep a value that is not an object at the root, and a parameter as one field', () => {
    expect(fieldErrors(errorOf(Body, null), 'json')).toEqual([
      { field: '(root)', in: 'body', message: expect.stringMatching(/expected object/) },
    ]);
    const Query = z.object({ tag: z.array(z.string().max(2)) });
    expect(fieldErrors(errorOf(Query, { tag: ['ok', 'long'] }), 'query')).toEqual([
      { field: 'tag', in: 'query', message: expect.any(String) },
    ]);
  });

  it('Should name each field once in the detail, and the body itself for a root error', () => {
    const limit = z.coerce.number().int().max(100);
    const errors = fieldErrors(errorOf(z.object({ limit }), { limit: '99999999999999999999' }), 'query');
    expect(errors.length).toBeGreaterThan(1);
    expect(invalidFields(errors)).toBe('Invalid limit.');
    expect(invalidFields(fieldErrors(errorOf(Body, []), 'json'))).toBe('Invalid body.');
    expect(
      invalidFields([
        { field: 'b', in: 'body', message: 'x' },
        { field: 'a', in: 'body', message: 'x' },
        { field: 'b', in: 'body', message: 'y' },
      ]),
    ).toBe('Invalid b, a.');
  });
});
