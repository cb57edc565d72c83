import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unstable_readConfig } from 'wrangler';
import { API_PATHS } from '../../api/app.ts';
import { REPO_ROOT } from '../../dev/child-process.ts';
import { checkEnvironment, EDGE_ENVIRONMENTS, WRANGLER_CONFIG } from '../../dev/deploy-edge.ts';

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
