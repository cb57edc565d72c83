import type { InferResponseType } from 'hono/client';
import type { api } from '../../lib/api.ts';
import { humanize } from '../../lib/format.ts';

export type Setting = InferResponseType<typeof api.api.v1.settings.$get, 200>['data'][number];

export type SettingInput =
  | { kind: 'text'; maxLength?: number }
  | { kind: 'number'; min?: number; max?: number }
  | { kind: 'boolean' }
  | { kind: 'select'; options: readonly string[] };

/**
 * How a setting is edited, from the JSON Schema the API gives for its value: an enum is
 * a select, a boolean a checkbox, a number an input with the schema's bounds, anything
 * else text. The API still checks every value.
 */
export function inputFor(setting: Setting): SettingInput {
  const schema = setting.schema;
  if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === 'string')) {
    return { kind: 'select', options: schema.enum as string[] };
  }
  if (schema.type === 'boolean') return { kind: 'boolean' };
  if (schema.type === 'integer' || schema.type === 'number') {
    const step = schema.type === 'integer' ? 1 : 0;
    const min = numberOr(schema.minimum, numberOr(schema.exclusiveMinimum, undefined, step));
    const max = numberOr(schema.maximum, numberOr(schema.exclusiveMaximum, undefined, -step));
    return { kind: 'number', min, max };
  }
  return { kind: 'text', maxLength: numberOr(schema.maxLength, undefined) };
}

/** A bound from the schema, moved by `shift` (an exclusive integer bound is the next whole number). */
function numberOr(value: unknown, fallback: number | undefined, shift = 0): number | undefined {
  return typeof value === 'number' ? value + shift : fallback;
}

/** A value as people read it. */
export function displayValue(value: unknown, input: SettingInput): string {
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (input.kind === 'select' && typeof value === 'string') return humanize(value);
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** Whether two setting values are the same (values are JSON). */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function isDefault(setting: Setting): boolean {
  return sameValue(setting.value, setting.default);
}
