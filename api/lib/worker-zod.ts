/**
 * The Worker's `zod` (wrangler.toml `[alias]`): zod's classic API exactly as
 * `zod/v4/classic/external.js` exports it, less what the Worker never runs — the locales
 * other than English (schemas.js registers English itself), `fromJSONSchema` and the
 * schema compiler. zod's own entry re-exports its `z` namespace as a value, and
 * @hono/zod-openapi passes that value on, so a bundler must keep every member of it:
 * a namespace without those members is the only way to leave them out. Node, Deno and
 * Bun use zod as published. `worker-zod.test.ts` keeps these exports equal to zod's.
 */
export * from '../../node_modules/zod/v4/classic/checks.js';
export * as coerce from '../../node_modules/zod/v4/classic/coerce.js';
export * from '../../node_modules/zod/v4/classic/compat.js';
export { deepPartial } from '../../node_modules/zod/v4/classic/deep-partial.js';
export * from '../../node_modules/zod/v4/classic/errors.js';
export { input, output } from '../../node_modules/zod/v4/classic/in-out.js';
export * as iso from '../../node_modules/zod/v4/classic/iso.js';
export { ZodISODate, ZodISODateTime, ZodISODuration, ZodISOTime } from '../../node_modules/zod/v4/classic/iso.js';
export * from '../../node_modules/zod/v4/classic/parse.js';
export * from '../../node_modules/zod/v4/classic/schemas.js';
export {
  $brand,
  $input,
  $output,
  clone,
  config,
  flattenError,
  formatError,
  getDiscriminatedOption,
  globalRegistry,
  INVALID,
  memoizer,
  NEVER,
  prettifyError,
  regexes,
  registry,
  TimePrecision,
  toZod,
  treeifyError,
  util,
} from '../../node_modules/zod/v4/core/index.js';
export { toJSONSchema } from '../../node_modules/zod/v4/core/json-schema-processors.js';
export * as core from './worker-zod-core.ts';

import * as z from './worker-zod.ts';

export { z, z as default };
