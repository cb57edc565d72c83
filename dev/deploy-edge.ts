/**
 * `npm run deploy:staging`, `npm run deploy:production`: the Worker to a wrangler
 * environment, in the order a deploy must happen:
 *   1. check the environment: PUBLIC_URL is a real https origin, DATABASE_URL is given,
 *      and the Worker has every secret the app needs in production (`wrangler secret list`);
 *   2. build the dashboard (deployed as the Worker's static assets);
 *   3. migrate the environment's Neon database (DATABASE_URL), before the new code runs;
 *   4. `wrangler deploy --env <name>`.
 * Wrangler authenticates with `wrangler login`, or CLOUDFLARE_API_TOKEN and
 * CLOUDFLARE_ACCOUNT_ID in CI. `--skip-deploy` stops after step 3 (CI deploys with
 * cloudflare/wrangler-action). Migrations must suit the version still running until the
 * deploy completes: add columns and tables first, drop them a release later.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { unstable_readConfig } from 'wrangler';
import { parseConfig } from '../core/config.ts';
import { migrate } from '../db/node/migrate.ts';
import { openDatabase } from '../db/node/open-database.ts';
import { ensureWebBuild } from './ensure-web-build.ts';

export const EDGE_ENVIRONMENTS = ['staging', 'production'] as const;
/** What the Worker needs at run time with APP_ENV=production and QStash delivering jobs. */
export const REQUIRED_SECRETS = [
  'DATABASE_URL',
  'JWT_SIGNING_KEYS',
  'QSTASH_TOKEN',
  'QSTASH_CURRENT_SIGNING_KEY',
  'QSTASH_NEXT_SIGNING_KEY',
] as const;
export const WRANGLER_CONFIG = fileURLToPath(new URL('../wrangler.toml', import.meta.url));
// Reserved for documentation (RFC 2606): the committed placeholders, never a real origin.
const PLACEHOLDER_HOST = /(^|\.)(example|invalid|localhost)$|(^|\.)example\.(com|net|org)$/;

/** What stands in the way of deploying `env` with this configuration; empty when nothing does. */
export function checkEnvironment(env: string, options: { configPath?: string; databaseUrl?: string }): string[] {
  if (!(EDGE_ENVIRONMENTS as readonly string[]).includes(env)) {
    return [`unknown environment "${env}": use ${EDGE_ENVIRONMENTS.join(' or ')}`];
  }
  const configPath = options.configPath ?? WRANGLER_CONFIG;
  const config = unstable_readConfig({ config: configPath, env }, { hideWarnings: true });
  const problems: string[] = [];
  const vars = config.vars as Record<string, unknown>;
  if (vars.APP_ENV !== 'production') problems.push(`[env.${env}.vars] APP_ENV must be "production"`);
  const publicUrl = urlOrNull(vars.PUBLIC_URL);
  if (publicUrl?.protocol !== 'https:') {
    problems.push(`[env.${env}.vars] PUBLIC_URL must be the Worker's https origin (QStash delivers jobs to it)`);
  } else if (PLACEHOLDER_HOST.test(publicUrl.hostname)) {
    problems.push(
      `[env.${env}.vars] PUBLIC_URL is still the placeholder ${publicUrl.origin}: set the Worker's own origin in wrangler.toml`,
    );
  }
  if (!options.databaseUrl) {
    problems.push(`DATABASE_URL is not set: give the ${env} Neon database's URL, which is migrated before the deploy`);
  } else if (!/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// URL');
  }
  return problems;
}

function urlOrNull(value: unknown): URL | null {
  try {
    return typeof value === 'string' ? new URL(value) : null;
  } catch {
    return null;
  }
}

/** Runs wrangler's CLI with node, as the installed version; resolves with its output. */
function wrangler(args: string[], stdio: 'pipe' | 'inherit'): Promise<{ code: number | null; output: string }> {
  const cli = createRequire(import.meta.url).resolve('wrangler');
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', stdio, stdio] });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

/** The required secrets the deployed Worker of `env` does not have. */
async function missingSecrets(env: string): Promise<string[]> {
  const { code, output } = await wrangler(['secret', 'list', '--env', env, '--format', 'json'], 'pipe');
  const json = output.slice(output.indexOf('['), output.lastIndexOf(']') + 1);
  if (code !== 0 || !json) {
    throw new Error(
      `wrangler secret list --env ${env} failed (set the secrets first, which creates the Worker):\n${output}`,
    );
  }
  const names = new Set((JSON.parse(json) as Array<{ name: string }>).map((secret) => secret.name));
  return REQUIRED_SECRETS.filter((name) => !names.has(name));
}

async function main(env: string, flags: string[]): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  const problems = checkEnvironment(env, { databaseUrl });
  if (problems.length) throw new Error(`cannot deploy to ${env}:\n  - ${problems.join('\n  - ')}`);
  const missing = await missingSecrets(env);
  if (missing.length) {
    throw new Error(
      `the ${env} Worker lacks secrets: ${missing.join(', ')}\n` +
        missing.map((name) => `  npx wrangler secret put ${name} --env ${env}`).join('\n'),
    );
  }
  await ensureWebBuild({ force: true });
  const handle = await openDatabase(parseConfig({ DATABASE_URL: databaseUrl }).database);
  try {
    const { applied } = await migrate(handle);
    console.log(`migrate (${handle.driver}): ${applied ? `applied ${applied} migration(s)` : 'up to date'}`);
  } finally {
    await handle.close();
  }
  if (flags.includes('--skip-deploy')) return;
  const { code } = await wrangler(['deploy', '--env', env], 'inherit');
  if (code !== 0) throw new Error(`wrangler deploy --env ${env} failed (exit ${code})`);
  console.log(
    `deployed to ${env}: check <PUBLIC_URL>/health/ready; roll back with: npx wrangler rollback --env ${env}`,
  );
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv[2] ?? '', process.argv.slice(3)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
