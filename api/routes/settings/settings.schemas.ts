import { z } from '@hono/zod-openapi';

export const SettingSchema = z
  .object({
    key: z.string().openapi({ example: 'retention.auditDays' }),
    value: z.unknown().openapi({ description: 'The value in force: the stored one, or the default.' }),
    default: z.unknown(),
    set: z.boolean().openapi({ description: 'Whether a value is stored (false: the default applies).' }),
    schema: z.record(z.string(), z.unknown()).openapi({
      description: 'JSON Schema of the value (`type`, `enum`, `minimum`/`exclusiveMinimum`, `maximum`, `maxLength`).',
      example: { type: 'integer', exclusiveMinimum: 0, maximum: 36500 },
    }),
    label: z
      .string()
      .openapi({ description: 'What people call the setting.', example: 'Keep audit entries for (days)' }),
    description: z.string(),
    updatedBy: z.string().nullable(),
    updatedAt: z.iso.datetime().nullable(),
  })
  .openapi('Setting');

export type Setting = z.infer<typeof SettingSchema>;

export const SettingListSchema = z.object({ data: z.array(SettingSchema) }).openapi('SettingList');

export const PutSettingSchema = z
  .object({ value: z.unknown().openapi({ description: "Checked against the key's type." }) })
  .strict()
  .openapi('PutSetting');

export const SettingKeyParamsSchema = z.object({
  key: z
    .string()
    .max(100)
    .openapi({ param: { name: 'key', in: 'path' }, example: 'app.name' }),
});
