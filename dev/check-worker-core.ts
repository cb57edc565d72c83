/**
 * The guard behind "the core is web-standard" (`npm run check`): bundles the Worker
 * as `wrangler deploy` would, without nodejs_compat, and fails when
 *   - any environment of wrangler.toml turns nodejs_compat (or any node compatibility flag) on,
 *     or has a compatibility date from 2026-08-04 on (which turns it on by default) without
 *     both `no_nodejs_compat` and `no_nodejs_compat_v2`,
 *   - the bundle imports a Node built-in,
 *   - a file of ours in the bundle (other than its entry) is outside the Biome override
 *     that forbids `node:*` imports and Node globals, so nothing would stop one.
 *
 *   tsx dev/check-worker-core.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import { unstable_readConfig } from 'wrangler';
import { REPO_ROOT } from './child-process.ts';

/** The rules that keep Node out of the core, and what each must be set to. */
const CORE_RULES = [
  ['correctness', 'noNodejsModules'],
  ['correctness', 'noProcessGlobal'],
  ['style', 'noProcessEnv'],
  ['style', 'noRestrictedGlobals'],
] as const;

/** The parts of esbuild's metafile this check reads. */
export interface Metafile {
  inputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
}

interface BiomeOverride {
  includes?: string[];
  linter?: { rules?: Record<string, Record<string, unknown>> };
}

const level = (setting: unknown) =>
  typeof setting === 'string' ? setting : (setting as { level?: string } | undefined)?.level;

/** The `includes` of the Biome override that turns every core rule into an error (the last one wins, as in Biome). */
export function coreScope(biome: { overrides?: BiomeOverride[] }): (path: string) => boolean {
  const override = biome.overrides?.find((o) =>
    CORE_RULES.every(([group, rule]) => level(o.linter?.rules?.[group]?.[rule]) === 'error'),
  );
  if (!override?.includes?.length) return () => false;
  const patterns = override.includes.map((p) => ({
    exclude: p.startsWith('!'),
    match: picomatch(p.replace(/^!/, '')),
  }));
  return (path) => patterns.reduce((inside, p) => (p.match(path) ? !p.exclude : inside), false);
}

/** What is wrong with a Worker bundle, given its metafile (paths relative to the repository). */
export function bundleProblems(metafile: Metafile, entry: string, inScope: (path: string) => boolean): string[] {
  const problems: string[] = [];
  const builtins = new Set(builtinModules);
  for (const [input, { imports }] of Object.entries(metafile.inputs)) {
    for (const { path, external } of imports) {
      if (external && (path.startsWith('node:') || builtins.has(path))) {
        problems.push(`${input} imports the Node built-in ${path}`);
      }
    }
    const ours = !input.includes('node_modules/') && !input.startsWith('..') && /\.[cm]?[jt]sx?$/.test(input);
    if (ours && input !== entry && !inScope(input)) {
      problems.push(`${input} is in the Worker bundle but outside the Biome override that keeps Node out of the core`);
    }
  }
  return problems;
}

/** Compatibility flags that bring Node's APIs into workerd, per environment of wrangler.toml. */
export function nodeCompatFlags(configPath: string): string[] {
  const top = unstable_readConfig({ config: configPath });
  const environments = (top as { definedEnvironments?: string[] }).definedEnvironments ?? [];
  return [undefined, ...environments].flatMap((env) =>
    unstable_readConfig({ config: configPath, env })
      .compatibility_flags.filter((flag: string) => flag.startsWith('nodejs_') || flag.startsWith('node_compat'))
      .map((flag: string) => `${flag} (${env ? `env.${env}` : 'top level'})`),
  );
}

/** From this compatibility date on, workerd turns nodejs_compat and nodejs_compat_v2 on unless told not to. */
export const NODEJS_COMPAT_DEFAULT_ON_DATE = '2026-08-04';
const OPT_OUT_FLAGS = ['no_nodejs_compat', 'no_nodejs_compat_v2'] as const;

/**
 * Environments whose compatibility date brings Node's APIs in by default: a date bump
 * must come with both opt-out flags (each of the two flags has its own default).
 */
export function nodeCompatByDate(configPath: string): string[] {
  const top = unstable_readConfig({ config: configPath });
  const environments = (top as { definedEnvironments?: string[] }).definedEnvironments ?? [];
  return [undefined, ...environments].flatMap((env) => {
    const config = unstable_readConfig({ config: configPath, env });
    const date = config.compatibility_date;
    if (!date || date < NODEJS_COMPAT_DEFAULT_ON_DATE) return [];
    const missing = OPT_OUT_FLAGS.filter((flag) => !config.compatibility_flags.includes(flag));
    if (!missing.length) return [];
    return [
      `compatibility_date ${date} (${env ? `env.${env}` : 'top level'}) turns Node compatibility on by default from ${NODEJS_COMPAT_DEFAULT_ON_DATE}: add ${missing.join(' and ')} to compatibility_flags`,
    ];
  });
}

/** Bundles the Worker with wrangler (dry run) and returns esbuild's metafile. */
export function buildWorkerMetafile(): Metafile {
  const outdir = mkdtempSync(join(tmpdir(), 'edgeplane-worker-check-'));
  try {
    const cli = createRequire(import.meta.url).resolve('wrangler');
    const metafile = join(outdir, 'meta.json');
    const args = [cli, 'deploy', '--dry-run', '--outdir', join(outdir, 'bundle'), '--metafile', metafile];
    const run = spawnSync(process.execPath, args, {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    });
    if (run.status !== 0)
      throw new Error(`the Worker does not build without nodejs_compat:\n${run.stdout}${run.stderr}`);
    return JSON.parse(readFileSync(metafile, 'utf8')) as Metafile;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function main(): void {
  const configPath = join(REPO_ROOT, 'wrangler.toml');
  const entry = relative(REPO_ROOT, unstable_readConfig({ config: configPath }).main ?? '');
  const biome = JSON.parse(readFileSync(join(REPO_ROOT, 'biome.json'), 'utf8'));
  const flags = nodeCompatFlags(configPath);
  const problems = [
    ...flags.map((flag) => `wrangler.toml turns on ${flag}: the core must run without Node compatibility`),
    ...nodeCompatByDate(configPath).map((problem) => `wrangler.toml: ${problem}`),
    ...bundleProblems(buildWorkerMetafile(), entry, coreScope(biome)),
  ];
  if (problems.length) {
    console.error(`Worker core check failed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exitCode = 1;
    return;
  }
  console.log('Worker core check: bundle built without nodejs_compat; every file of ours in it is Biome-guarded');
}

// Run from the command line (`npm run check`); tests import the pieces.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
