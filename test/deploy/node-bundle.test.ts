import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER } from '../../db/node/migrate.ts';
import { createPglite } from '../../db/node/pglite.ts';
import { DEMO_PASSWORD } from '../../db/seed.ts';
import { freePort, REPO_ROOT, spawnChild, waitForHttp } from '../../dev/child-process.ts';
import { BUNDLE_ENTRIES, buildNodeBundle, bundleStaleReason, EXTERNAL_PACKAGES } from '../../dev/node-bundle.mjs';

const run = promisify(execFile);
const cleanups: Array<() => void> = [];
afterAll(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
});

/** `npm start` rebuilds dist/node when a file it was built from changed since the build (an edit, a `git pull`). */
describe('whether the Node bundle is current', () => {
  const root = mkdtempSync(join(tmpdir(), 'edgeplane-node-bundle-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'dist/node');
  const builtAt = Date.now() - 3_600_000;

  const write = (path: string, content: string, at = builtAt - 60_000) => {
    const full = join(root, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
    utimesSync(full, at / 1000, at / 1000);
  };
  const record = (inputs: string[], outputs: string[]) =>
    write('dist/node/build.json', JSON.stringify({ builtAt, inputs, outputs }), builtAt);

  it('Should build when there is no build, or when one of its files is missing', () => {
    expect(bundleStaleReason(dir, root)).toBe('no build yet');
    record(['api/entries/node.ts'], ['node.js']);
    write('api/entries/node.ts', 'x');
    expect(bundleStaleReason(dir, root)).toBe('no build yet');
  });

  it('Should keep a build newer than every file it was built from', () => {
    write('dist/node/node.js', 'x', builtAt);
    record(['api/entries/node.ts', 'db/node/migrate.ts'], ['node.js']);
    write('db/node/migrate.ts', 'x');
    expect(bundleStaleReason(dir, root)).toBeUndefined();
  });

  it('Should rebuild when a file it was built from changed after the build started, or is gone', () => {
    write('db/node/migrate.ts', 'y', builtAt + 1_000);
    expect(bundleStaleReason(dir, root)).toBe('db/node/migrate.ts changed since the last build');
    rmSync(join(root, 'db/node/migrate.ts'));
    expect(bundleStaleReason(dir, root)).toBe('db/node/migrate.ts is gone');
  });
});

describe('the Node bundle', () => {
  // Beside the real one (two levels below the root, as dist/node is): what the bundle
  // resolves relative to its modules' sources must resolve the same from here.
  const dir = join(REPO_ROOT, `dist/node-test-${process.pid}`);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));

  it('Should record every file it bundles and the build settings, and none of the packages left outside', {
    timeout: 30_000,
  }, async () => {
    const { inputs, outputs } = await buildNodeBundle({ dir });
    for (const entry of Object.values(BUNDLE_ENTRIES)) expect(inputs).toContain(entry);
    expect(inputs).toEqual(expect.arrayContaining(['db/node/migrate.ts', 'dev/node-bundle.mjs', 'tsconfig.json']));
    expect(inputs.some((input) => input.startsWith('node_modules/hono/'))).toBe(true);
    const outside = inputs.filter((input) => EXTERNAL_PACKAGES.some((name) => input.includes(`node_modules/${name}/`)));
    expect(outside).toEqual([]);
    expect(outputs).toEqual(expect.arrayContaining(Object.keys(BUNDLE_ENTRIES).map((name) => `${name}.js`)));
    expect(bundleStaleReason(dir)).toBeUndefined();
  });

  it('Should find the migrations beside the sources and apply them all (the migration command, bundled)', {
    timeout: 90_000,
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'edgeplane-node-bundle-data-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    // No template to copy: the migrations are applied by the bundled code itself.
    const env = { PATH: process.env.PATH, DATA_DIR: dataDir, PGLITE_TEMPLATE_DIR: join(dataDir, 'templates') };
    await run(process.execPath, [join(dir, 'db-cli.js'), 'migrate'], { cwd: REPO_ROOT, env });
    const client = await createPglite({ dataDir });
    const applied = await client.query('SELECT hash FROM drizzle.__drizzle_migrations');
    await client.close();
    const shipped = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
    expect(shipped.length).toBeGreaterThan(0);
    expect(applied.rows).toEqual(shipped.map(({ hash }) => ({ hash })));
  });

  it('Should serve from the bundle what npm start serves: the OpenAPI document, sign-in, items, the dashboard', {
    timeout: 90_000,
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'edgeplane-node-bundle-serve-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const env = { PATH: process.env.PATH, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port) };
    const server = spawnChild('bundled node entry', process.execPath, [join(dir, 'node.js')], { env });
    cleanups.push(() => void server.stop());
    const origin = `http://127.0.0.1:${port}`;
    await waitForHttp(server, `${origin}/health/ready`, 60_000);

    const openapi = (await (await fetch(`${origin}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toContain('/api/v1/items');
    const login = await fetch(`${origin}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@edgeplane.local', password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const items = await fetch(`${origin}/api/v1/items`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(items.status).toBe(200);
    expect(((await items.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0);
    expect(await (await fetch(`${origin}/`)).text()).toContain('<div id="root">');

    server.process.kill('SIGTERM');
    expect((await server.exited).code, server.output()).toBe(0);
  });
});
