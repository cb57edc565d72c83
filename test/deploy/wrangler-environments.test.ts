import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unstable_readConfig } from 'wrangler';
import { API_PATHS } from '../../api/app.ts';
import { REPO_ROOT } from '../../dev/child-process.ts';
import { checkEnvironment, EDGE_ENVIRONMENTS, WRANGLER_CONFIG } from '../../dev/deploy-edge.ts';
import { measureWorker, WORKER_BUDGET_KIB } from '../../dev/worker-size.ts';

/** wrangler.toml as wrangler itself resolves it (inheritance included), per environment. */
const read = (env?: string, config = WRANGLER_CONFIG) => unstable_readConfig({ config, env }, { hideWarnings: true });
const topLevel = read();

const scratch = mkdtempSync(join(tmpdir(), 'edgeplane-wrangler-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of wrangler.toml beside the real one's paths, with each environment's PUBLIC_URL replaced. */
function configWithPublicUrl(url: string): string {
  const toml = readFileSync(WRANGLER_CONFIG, 'utf8')
    .replace(/^PUBLIC_URL = ".*"$/gm, `PUBLIC_URL = "${url}"`)
    .replace(/^main = "(.*)"$/m, `main = "${join(REPO_ROOT, 'api/entries/worker.ts')}"`);
  const path = join(scratch, `wrangler-${Buffer.from(url).toString('hex').slice(0, 16)}.toml`);
  writeFileSync(path, toml);
  return path;
}

describe('wrangler.toml', () => {
  it('Should keep the top level for wrangler dev and the tests: the Worker, assets with the API paths first, crons, Workers Logs', () => {
    expect(topLevel.name).toBe('edgeplane-api');
    expect(topLevel.compatibility_flags, 'no nodejs_compat').not.toContain('nodejs_compat');
    expect(topLevel.assets).toMatchObject({ directory: './dist/web', binding: 'ASSETS' });
    expect([...((topLevel.assets?.run_worker_first ?? []) as string[])].sort()).toEqual([...API_PATHS].sort());
    expect(topLevel.triggers.crons).toContain('0 3 * * *');
    expect(topLevel.observability?.enabled).toBe(true);
  });

  it.each(EDGE_ENVIRONMENTS)(
    'Should give %s its own Worker with production vars, inheriting the crons, assets and Workers Logs',
    (env) => {
      const config = read(env);
      expect(config.name).toBe(`edgeplane-api-${env}`);
      expect(config.main).toBe(topLevel.main);
      expect(config.vars).toMatchObject({ APP_ENV: 'production', PUBLIC_URL: expect.stringMatching(/^https:\/\//) });
      expect(config.triggers).toEqual(topLevel.triggers);
      expect(config.assets).toEqual(topLevel.assets);
      expect(config.observability).toEqual(topLevel.observability);
    },
  );

  it.each(EDGE_ENVIRONMENTS)('Should bundle the Worker for %s as wrangler deploy would (--dry-run)', (env) => {
    const cli = createRequire(import.meta.url).resolve('wrangler');
    const outdir = join(scratch, `dry-run-${env}`);
    const run = spawnSync(process.execPath, [cli, 'deploy', '--dry-run', '--env', env, '--outdir', outdir], {
      cwd: REPO_ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
      encoding: 'utf8',
    });
    const output = run.stdout + run.stderr;
    expect(run.status, output).toBe(0);
    expect(output).toMatch(/env\.ASSETS\s+Assets/);
    expect(output).toContain('env.APP_ENV ("production")');
    expect(output).toContain('env.PUBLIC_URL');
  });
});

describe('the uploaded Worker', () => {
  it('Should be minified and within its gzip budget (dev/worker-size.ts)', () => {
    const size = measureWorker('production');
    // Minified: no line of the script is indented the way esbuild prints unminified code.
    expect(size.bytes).toBeLessThan(900 * 1024);
    expect(size.gzipBytes, `${(size.gzipBytes / 1024).toFixed(1)} KiB gzip`).toBeLessThanOrEqual(
      WORKER_BUDGET_KIB * 1024,
    );
    const zod = size.byPackage.find(([name]) => name === 'zod')?.[1] ?? 0;
    expect(zod, 'zod without its locales').toBeLessThan(200 * 1024);
    // wrangler.toml's [alias]: the Neon and Upstash clients of db/, not the whole packages.
    const packages = size.byPackage.map(([name]) => name);
    expect(packages).not.toContain('@neondatabase/serverless');
    expect(packages).not.toContain('@upstash/redis');
    expect(packages).toEqual(expect.arrayContaining(['db/drivers', 'db/kv']));
  });

  const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' });
  const files = tracked.status === 0 ? tracked.stdout.split('\0').filter(Boolean) : [];
  it.skipIf(files.length === 0)(
    `Should deploy from a fresh clone, building the dashboard first${files.length ? '' : ' (skipped: not a git checkout)'}`,
    () => {
      const clone = join(scratch, 'fresh-clone');
      for (const file of files) {
        mkdirSync(dirname(join(clone, file)), { recursive: true });
        copyFileSync(join(REPO_ROOT, file), join(clone, file));
      }
      symlinkSync(join(REPO_ROOT, 'node_modules'), join(clone, 'node_modules'));
      expect(existsSync(join(clone, 'dist/web/index.html'))).toBe(false);
      const cli = createRequire(import.meta.url).resolve('wrangler');
      const run = spawnSync(process.execPath, [cli, 'deploy', '--dry-run', '--outdir', join(clone, 'd')], {
        cwd: clone,
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
        encoding: 'utf8',
      });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      expect(existsSync(join(clone, 'dist/web/index.html'))).toBe(true);
      expect(run.stdout).toMatch(/Read \d+ files from the assets directory/);
    },
  );
});

describe('deploy preflight (dev/deploy-edge.ts)', () => {
  const neon = 'postgres://user:secret@ep-quiet-hill-123456.eu-central-1.aws.neon.tech/edgeplane';

  it('Should refuse a placeholder PUBLIC_URL, naming the environment and the setting', () => {
    const config = configWithPublicUrl('https://edgeplane-api-staging.workers.example');
    expect(checkEnvironment('staging', { configPath: config, databaseUrl: neon })).toEqual([
      expect.stringMatching(/^\[env\.staging\.vars\] PUBLIC_URL is still the placeholder/),
    ]);
  });

  it('Should refuse a PUBLIC_URL that is not https and a missing DATABASE_URL', () => {
    const config = configWithPublicUrl('http://api.acme-platform.dev');
    const problems = checkEnvironment('production', { configPath: config });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/PUBLIC_URL must be the Worker's https origin/);
    expect(problems[1]).toMatch(/^DATABASE_URL is not set/);
  });

  it('Should accept a real origin with the Neon URL, and refuse an unknown environment', () => {
    const config = configWithPublicUrl('https://api.acme-platform.dev');
    for (const env of EDGE_ENVIRONMENTS) {
      expect(checkEnvironment(env, { configPath: config, databaseUrl: neon }), env).toEqual([]);
    }
    expect(checkEnvironment('prod', { configPath: config, databaseUrl: neon })).toEqual([
      'unknown environment "prod": use staging or production',
    ]);
  });
});
