import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import dockerignore from '@balena/dockerignore';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER } from '../../db/node/migrate.ts';
import { REPO_ROOT } from '../../dev/child-process.ts';
import { BUNDLE_DIR, BUNDLE_ENTRIES } from '../../dev/node-bundle.mjs';
import { WEB_DIST } from '../../web/vite.config.ts';
import { copiesOf, envOf, execForm, instructionsOf, readDockerfile, type Stage } from './dockerfile.ts';
import { moduleGraph, packageName } from './module-graph.ts';

/**
 * The image cannot be built here (no Docker engine): these read the Dockerfile with the
 * parser and linter behind the Docker language server and check what the runtime
 * stage promises against the repository. `container.test.ts` runs its command.
 */
const dockerfile = readDockerfile(REPO_ROOT);
const { final } = dockerfile;
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const ignore = dockerignore({ ignorecase: false }).add(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8'));
/** What the runtime loads: the server and the migration command the chart's hook runs. */
const RUNTIME_ENTRIES = ['api/entries/node.ts', 'api/entries/db-cli.ts'];
const APP_DIR = '/app';
const BUNDLE = relative(REPO_ROOT, BUNDLE_DIR);

const stageNamed = (name: string) => dockerfile.stages.find((s) => s.name === name) as Stage;
const runs = (stage: Stage) => instructionsOf(stage, 'RUN').map((r) => r.getArgumentsContent() ?? '');
/** A path inside the image's app directory, relative to it (`/app/dist/web` → `dist/web`). */
const inApp = (path: string) => relative(APP_DIR, path.startsWith('/') ? path : join(APP_DIR, path)) || '.';

describe('Dockerfile', () => {
  it('Should have no lint errors or warnings', () => {
    expect(validate(dockerfile.text).map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('Should run on a slim Node 20 image as a numeric non-root user', () => {
    expect(final.image).toMatch(/^node:20(\.\d+)*-[a-z]+-slim$/);
    const users = instructionsOf(final, 'USER').map((u) => u.getArgumentsContent() ?? '');
    expect(users.length, 'a USER instruction in the runtime stage').toBeGreaterThan(0);
    const [uid, gid] = (users.at(-1) ?? '').split(':');
    expect(uid, 'numeric, so Kubernetes can check runAsNonRoot').toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
    expect(gid ?? '1').toMatch(/^[1-9]\d*$/);
  });

  it('Should serve on 0.0.0.0:8787 in production mode with the dashboard under /app', () => {
    const env = envOf(final);
    expect(env).toMatchObject({ HOST: '0.0.0.0', PORT: '8787', NODE_ENV: 'production', WEB_DIR: '/app/dist/web' });
    expect(instructionsOf(final, 'WORKDIR').at(-1)?.getArgumentsContent()).toBe(APP_DIR);
    expect(instructionsOf(final, 'EXPOSE').map((e) => e.getArgumentsContent())).toEqual([env.PORT]);
  });

  it('Should start node on the bundled entry directly (not npm start, which checks its builds first)', () => {
    const [cmd] = instructionsOf(final, 'CMD');
    expect(cmd, 'a CMD in the runtime stage').toBeDefined();
    expect(execForm(cmd as NonNullable<typeof cmd>)).toEqual(['node', `${BUNDLE}/node.js`]);
    expect(instructionsOf(final, 'ENTRYPOINT')).toEqual([]);
  });

  it('Should declare a HEALTHCHECK that needs no curl and a SIGTERM stop signal', () => {
    const [healthcheck] = instructionsOf(final, 'HEALTHCHECK');
    expect(healthcheck, 'a HEALTHCHECK in the runtime stage').toBeDefined();
    const argv = execForm(healthcheck as NonNullable<typeof healthcheck>);
    expect(argv[0]).toBe('node');
    expect(argv.join(' ')).toContain('/health/live');
    expect(instructionsOf(final, 'STOPSIGNAL').map((s) => s.getArgumentsContent())).toEqual(['SIGTERM']);
  });

  it('Should install no dev dependencies into the runtime stage', () => {
    expect(runs(final).filter((r) => /\bnpm (ci|install|i)\b/.test(r))).toEqual([]);
    const modules = copiesOf(final).filter((c) => c.sources.some((s) => inApp(s) === 'node_modules'));
    expect(modules.length, 'node_modules comes from one stage').toBe(1);
    const from = stageNamed(modules[0]?.from ?? '');
    expect(from, `stage ${modules[0]?.from}`).toBeDefined();
    const installs = runs(from).filter((r) => /\bnpm (ci|install|i)\b/.test(r));
    expect(installs).toHaveLength(1);
    expect(installs[0]).toMatch(/\bnpm ci\b.*--omit=dev/);
  });

  it('Should copy only paths that exist: from the repository (not excluded by .dockerignore) or made by a build stage', () => {
    // What each RUN of a build stage produces, relative to /app.
    const producedBy = (stage: Stage) =>
      runs(stage).flatMap((r) => [
        ...(/\bnpm ci\b/.test(r) ? ['node_modules'] : []),
        ...(/\bnpm run build:web\b/.test(r) ? [relative(REPO_ROOT, WEB_DIST)] : []),
        ...(/\bnpm run build:node\b/.test(r) ? [BUNDLE] : []),
      ]);
    const problems: string[] = [];
    for (const copy of copiesOf(final)) {
      for (const source of copy.sources) {
        if (!copy.from) {
          if (!existsSync(join(REPO_ROOT, source))) problems.push(`${source} is not in the repository`);
          else if (ignore.ignores(source)) problems.push(`${source} is excluded by .dockerignore`);
          continue;
        }
        const stage = stageNamed(copy.from);
        if (!stage) {
          problems.push(`--from=${copy.from} names no stage`);
          continue;
        }
        const path = inApp(source);
        const copiedIn = copiesOf(stage).some(
          (c) => !c.from && c.sources.some((s) => s === '.' || s === path) && inApp(c.destination) === '.',
        );
        if (!producedBy(stage).includes(path) && !copiedIn)
          problems.push(`${source} is not made by stage ${copy.from}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('Should hold the bundle its build stage makes, what the bundle reads from disk, and only production packages', () => {
    const bundles = copiesOf(final).filter((c) => c.from && c.sources.some((s) => inApp(s) === BUNDLE));
    expect(bundles, `${BUNDLE} comes from one stage`).toHaveLength(1);
    expect(runs(stageNamed(bundles[0]?.from ?? '')).some((r) => /\bnpm run build:node\b/.test(r))).toBe(true);
    // The server and the migration command the chart's hook runs.
    expect(Object.keys(BUNDLE_ENTRIES)).toEqual(expect.arrayContaining(['node', 'db-cli']));
    const copied = copiesOf(final)
      .filter((c) => !c.from)
      .flatMap((c) => c.sources.map((s) => s.replace(/\/$/, '')));
    expect(copied, "package.json: its type makes the bundle's .js files ES modules").toContain('package.json');
    // Packages the bundle leaves outside load from node_modules: all production dependencies.
    const graph = moduleGraph(REPO_ROOT, RUNTIME_ENTRIES);
    const devOnly = [...new Set(graph.packages.map(packageName))].filter(
      (name): name is string => !!name && !(name in pkg.dependencies),
    );
    expect(devOnly, 'imported at run time but not a production dependency').toEqual([]);
    // Read from disk rather than imported: the migrations the hook applies.
    const migrations = relative(REPO_ROOT, MIGRATIONS_FOLDER);
    expect(copied.some((c) => migrations === c || migrations.startsWith(`${c}/`))).toBe(true);
  });

  it('Should keep local state, installs and builds out of the build context (.dockerignore)', () => {
    for (const path of [
      'node_modules/hono/package.json',
      '.data/pglite/PG_VERSION',
      'dist/web/index.html',
      '.wrangler/state/v3/x',
      'test/e2e/screenshots/items.png',
      '.dev.vars',
      '.git/HEAD',
    ]) {
      expect(ignore.ignores(path), path).toBe(true);
    }
    for (const path of ['api/app.ts', 'db/migrations/meta/_journal.json', 'web/index.html', 'package-lock.json']) {
      expect(ignore.ignores(path), path).toBe(false);
    }
  });
});
