import { z } from 'zod';
import type { AppConfig } from '../../core/config.ts';
import { ITEM_PRIORITIES } from '../../vocabulary/enums.ts';

interface SettingDefinition<T> {
  schema: z.ZodType<T>;
  /** The value in force while the key is not set; retention falls back to configuration. */
  default: (config: AppConfig) => T;
  /** What people call it (the key stays the name in the API). */
  label: string;
  description: string;
}

const define = <T>(definition: SettingDefinition<T>) => definition;

// Positive whole days: db/queries/retention.ts ignores anything else, so only such values are accepted.
const days = z.number().int('must be a whole number of days').positive('must be at least 1').max(36_500);

/** Every runtime setting, its type and its default, in one place. Unknown keys are refused. */
export const SETTINGS = {
  'app.name': define({
    schema: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
    default: () => 'Edgeplane',
    label: 'Workspace name',
    description: 'The name the dashboard shows.',
  }),
  'items.defaultPriority': define({
    schema: z.enum(ITEM_PRIORITIES),
    default: () => 'medium' as const,
    label: 'Default priority of new items',
    description: 'The priority new items get in the dashboard when none is chosen.',
  }),
  'retention.deletedItemsDays': define({
    schema: days,
    default: (config) => config.retention.deletedItemsDays,
    label: 'Keep deleted items for (days)',
    description: 'Days a deleted item is kept before the daily cleanup purges it.',
  }),
  'retention.auditDays': define({
    schema: days,
    default: (config) => config.retention.auditDays,
    label: 'Keep audit entries for (days)',
    description: 'Days audit entries are kept.',
  }),
  'retention.finishedJobsDays': define({
    schema: days,
    default: (config) => config.retention.finishedJobsDays,
    label: 'Keep finished jobs for (days)',
    description: 'Days finished jobs (succeeded, dead, cancelled) are kept.',
  }),
} as const;

export type SettingKey = keyof typeof SETTINGS;
export const SETTING_KEYS = Object.keys(SETTINGS).sort() as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

const valueSchemas = new Map<SettingKey, Record<string, unknown>>();

/**
 * The JSON Schema of a setting's value (type, enum, bounds), so clients can offer the
 * right control without a copy of this table. Derived from the zod schema, once.
 */
export function valueSchema(key: SettingKey): Record<string, unknown> {
  let schema = valueSchemas.get(key);
  if (!schema) {
    const { $schema: _dialect, ...rest } = z.toJSONSchema(SETTINGS[key].schema as z.ZodType) as Record<string, unknown>;
    schema = rest;
    valueSchemas.set(key, schema);
  }
  return schema;
}

/** The value in force: the stored one when it still fits the schema, else the default. */
export function effectiveValue(key: SettingKey, stored: unknown, config: AppConfig): unknown {
  const definition: SettingDefinition<unknown> = SETTINGS[key];
  if (stored !== undefined) {
    const parsed = definition.schema.safeParse(stored);
    if (parsed.success) return parsed.data;
  }
  return definition.default(config);
}
