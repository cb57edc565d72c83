import type { InferResponseType } from 'hono/client';
import { ITEM_PRIORITIES } from '../../../../api/lib/vocabulary.ts';
import type { SettingKey } from '../../../../api/settings/registry.ts';
import type { api } from '../../lib/api.ts';
import { humanize } from '../../lib/format.ts';

export type Setting = InferResponseType<typeof api.api.v1.settings.$get, 200>['data'][number];

export type SettingInput =
  | { kind: 'text'; maxLength?: number }
  | { kind: 'number'; min?: number; max?: number }
  | { kind: 'boolean' }
  | { kind: 'select'; options: readonly string[] };

const days: SettingInput = { kind: 'number', min: 1, max: 36_500 };

/**
 * How each setting is edited. The settings list does not describe value types, so
 * this mirrors api/settings/registry.ts; keyed by its keys, the type check fails
 * when a setting is added there and not here. The API still checks every value.
 */
const INPUTS: Record<SettingKey, SettingInput> = {
  'app.name': { kind: 'text', maxLength: 80 },
  'items.defaultPriority': { kind: 'select', options: ITEM_PRIORITIES },
  'retention.auditDays': days,
  'retention.deletedItemsDays': days,
  'retention.finishedJobsDays': days,
};

export function inputFor(setting: Setting): SettingInput {
  const known = (INPUTS as Partial<Record<string, SettingInput>>)[setting.key];
  if (known) return known;
  // A setting newer than this dashboard: go by the type of its default.
  if (typeof setting.default === 'number') return { kind: 'number' };
  if (typeof setting.default === 'boolean') return { kind: 'boolean' };
  return { kind: 'text' };
}

/** A value as people read it. */
export function displayValue(value: unknown, input: SettingInput): string {
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (input.kind === 'select' && typeof value === 'string') return humanize(value);
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** The value to send, read from the form control the way `input` renders it. */
export function readValue(control: HTMLInputElement | HTMLSelectElement, input: SettingInput): unknown {
  if (input.kind === 'boolean') return (control as HTMLInputElement).checked;
  // An empty or unreadable number goes as null: the API names what it expects.
  if (input.kind === 'number') return control.value.trim() === '' ? null : Number(control.value);
  return control.value;
}

export function isDefault(setting: Setting): boolean {
  return JSON.stringify(setting.value) === JSON.stringify(setting.default);
}
