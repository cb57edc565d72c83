import type { AppConfig } from '../../../core/config.ts';
import { fieldErrors } from '../../../core/field-errors.ts';
import * as queries from '../../../db/queries/settings.ts';
import { auditContext } from '../../lib/audit-context.ts';
import { ApiError } from '../../lib/errors.ts';
import { empty, json } from '../../lib/respond.ts';
import type { AppRouteHandler } from '../../lib/types.ts';
import {
  effectiveValue,
  isSettingKey,
  SETTING_KEYS,
  SETTINGS,
  type SettingKey,
  valueSchema,
} from '../../settings/registry.ts';
import type { ListRoute, PutRoute, ResetRoute } from './settings.routes.ts';
import type { Setting } from './settings.schemas.ts';

function toSetting(key: SettingKey, row: queries.SettingRow | undefined, config: AppConfig): Setting {
  return {
    key,
    value: effectiveValue(key, row?.value, config),
    default: SETTINGS[key].default(config),
    set: row !== undefined,
    schema: valueSchema(key),
    label: SETTINGS[key].label,
    description: SETTINGS[key].description,
    updatedBy: row?.updatedBy ?? null,
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

function knownKey(key: string): SettingKey {
  if (isSettingKey(key)) return key;
  throw new ApiError('not_found', { detail: `There is no setting "${key}". Known: ${SETTING_KEYS.join(', ')}.` });
}

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const rows = new Map((await queries.listSettings(c.get('deps').db)).map((r) => [r.key, r]));
  return json(c, { data: SETTING_KEYS.map((key) => toSetting(key, rows.get(key), c.get('deps').config)) }, 200);
};

export const put: AppRouteHandler<PutRoute> = async (c) => {
  const key = knownKey(c.req.valid('param').key);
  const { config, db } = c.get('deps');
  const parsed = SETTINGS[key].schema.safeParse(c.req.valid('json').value);
  if (!parsed.success) {
    // Paths inside the value are reported under `value`, like any other body field.
    const errors = fieldErrors(parsed.error, 'json').map((e) => ({
      ...e,
      field: e.field === '(root)' ? 'value' : `value.${e.field}`,
    }));
    throw new ApiError('validation_failed', { detail: `Invalid value for ${key}.`, errors });
  }
  const row = await queries.putSetting(db, key, parsed.data, SETTINGS[key].default(config), auditContext(c));
  return json(c, toSetting(key, row, config), 200);
};

export const reset: AppRouteHandler<ResetRoute> = async (c) => {
  const key = knownKey(c.req.valid('param').key);
  await queries.resetSetting(c.get('deps').db, key, SETTINGS[key].default(c.get('deps').config), auditContext(c));
  return empty(c, 204);
};
