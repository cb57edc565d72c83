import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildWorkerMetafile,
  bundleProblems,
  coreScope,
  type Metafile,
  NODEJS_COMPAT_DEFAULT_ON_DATE,
  nodeCompatByDate,
  nodeCompatFlags,
} from '../../dev/check-worker-core.ts';
import { REPO_ROOT } from '../../dev/child-process.ts';

/** The guard `npm run check` runs (dev/check-worker-core.ts): the Worker's core stays free of Node. */
const biome = JSON.parse(readFileSync(join(REPO_ROOT, 'biome.json'), 'utf8'));
const ENTRY = 'api/entries/worker.ts';

describe('worker core guard', () => {
  it('Should bundle the Worker without nodejs_compat, every file of ours in it under the Biome guard', () => {
    const metafile = buildWorkerMetafile();
    const ours = Object.keys(metafile.inputs).filter((i) => /^(api|jobs|core|db|vocabulary)\//.test(i));
    // Not a vacuous pass: the app and its drivers are in the bundle and in scope.
    expect(ours).toEqual(
      expect.arrayContaining([ENTRY, 'api/app.ts', 'db/drivers/neon-http.ts', 'core/queue/qstash.ts']),
    );
    expect(bundleProblems(metafile, ENTRY, coreScope(biome))).toEqual([]);
    expect(nodeCompatFlags(join(REPO_ROOT, 'wrangler.toml'))).toEqual([]);
    expect(nodeCompatByDate(join(REPO_ROOT, 'wrangler.toml'))).toEqual([]);
  });

  it('Should report a Node built-in import and a bundled file outside the guarded folders', () => {
    const metafile: Metafile = {
      inputs: {
        [ENTRY]: { imports: [{ path: 'api/app.ts' }] },
        'api/app.ts': { imports: [{ path: 'node:crypto', external: true }, { path: 'api/server/static-assets.ts' }] },
        'api/server/static-assets.ts': { imports: [{ path: 'fs', external: true }] },
        'node_modules/hono/dist/index.js': { imports: [{ path: 'cloudflare:sockets', external: true }] },
      },
    };
    expect(bundleProblems(metafile, ENTRY, coreScope(biome))).toEqual([
      'api/app.ts imports the Node built-in node:crypto',
      'api/server/static-assets.ts imports the Node built-in fs',
      'api/server/static-assets.ts is in the Worker bundle but outside the Biome override that keeps Node out of the core',
    ]);
  });

  it('Should guard nothing once the override no longer makes the rules errors', () => {
    const relaxed = structuredClone(biome);
    for (const override of relaxed.overrides) {
      if (override.linter?.rules?.correctness?.noProcessGlobal)
        override.linter.rules.correctness.noProcessGlobal = 'warn';
    }
    expect(coreScope(biome)('api/app.ts')).toBe(true);
    expect(coreScope(relaxed)('api/app.ts')).toBe(false);
  });

  it('Should find nodejs_compat turned on at the top level or in any environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgeplane-wrangler-config-'));
    try {
      const config = join(dir, 'wrangler.toml');
      writeFileSync(
        config,
        [
          'name = "x"',
          'main = "worker.ts"',
          'compatibility_date = "2026-04-01"',
          '[env.staging]',
          'compatibility_flags = ["nodejs_compat"]',
        ].join('\n'),
      );
      expect(nodeCompatFlags(config)).toEqual(['nodejs_compat (env.staging)']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Should refuse a compatibility date that turns Node compatibility on by default, unless both opt-outs are set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgeplane-wrangler-config-'));
    const check = (lines: string[]) => {
      const config = join(dir, 'wrangler.toml');
      writeFileSync(config, ['name = "x"', 'main = "worker.ts"', ...lines].join('\n'));
      return nodeCompatByDate(config);
    };
    try {
      expect(check(['compatibility_date = "2026-08-03"'])).toEqual([]);
      expect(check([`compatibility_date = "${NODEJS_COMPAT_DEFAULT_ON_DATE}"`])).toEqual([
        'compatibility_date 2026-08-04 (top level) turns Node compatibility on by default from 2026-08-04: add no_nodejs_compat and no_nodejs_compat_v2 to compatibility_flags',
      ]);
      expect(
        check([
          'compatibility_date = "2026-09-01"',
          'compatibility_flags = ["no_nodejs_compat", "no_nodejs_compat_v2"]',
        ]),
      ).toEqual([]);
      expect(
        check([
          'compatibility_date = "2026-04-01"',
          '[env.production]',
          'compatibility_date = "2026-12-01"',
          'compatibility_flags = ["no_nodejs_compat"]',
        ]),
      ).toEqual([
        'compatibility_date 2026-12-01 (env.production) turns Node compatibility on by default from 2026-08-04: add no_nodejs_compat_v2 to compatibility_flags',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
