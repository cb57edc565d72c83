import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../../test/support/harness.ts';
import { MIGRATIONS_FOLDER, migrate } from './migrate.ts';
import { openDatabase } from './open-database.ts';
import { createPglite, openPglite } from './pglite.ts';
import { copyTemplate, ensureTemplate, holdsCluster, type TemplateResult, templateKey } from './pglite-template.ts';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});
const tempDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `edgeplane-${name}-`));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};
const open = async (dataDir: string) => {
  const client = await createPglite({ dataDir });
  cleanups.push(() => client.close());
  return client;
};

/** A copy of the shipped migrations, changed by `edit`. */
function migrationsLike(edit: (folder: string) => void): string {
  const folder = tempDir('migrations');
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  edit(folder);
  return folder;
}

/** The shipped migrations and one more that creates a table. */
const withExtraMigration = () =>
  migrationsLike((folder) => {
    const path = join(folder, 'meta/_journal.json');
    const journal = JSON.parse(readFileSync(path, 'utf8'));
    const last = journal.entries.at(-1);
    journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1_000, tag: '9999_next' });
    writeFileSync(path, JSON.stringify(journal));
    writeFileSync(join(folder, '9999_next.sql'), 'CREATE TABLE next_feature (id int PRIMARY KEY);');
  });

/** Everything the migrations define, as text: tables and columns, indexes, constraints, types, functions, triggers, extensions, the bookkeeping. */
async function schemaOf(client: PGlite): Promise<unknown[]> {
  const user = "NOT IN ('pg_catalog', 'information_schema', 'pg_toast')";
  const queries = [
    `SELECT table_schema, table_name, column_name, ordinal_position, data_type, udt_name, is_nullable, column_default
       FROM information_schema.columns WHERE table_schema ${user} ORDER BY 1, 2, 4`,
    `SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes WHERE schemaname ${user} ORDER BY 1, 2, 3`,
    `SELECT n.nspname, c.conrelid::regclass::text AS rel, c.conname, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname ${user} ORDER BY 1, 2, 3`,
    `SELECT t.typname, e.enumlabel, e.enumsortorder FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid ORDER BY 1, 3`,
    `SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid) AS args, md5(p.prosrc) AS src
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname ${user} ORDER BY 1, 2, 3`,
    `SELECT tgrelid::regclass::text AS rel, tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2`,
    `SELECT schemaname, viewname, definition FROM pg_views WHERE schemaname ${user} ORDER BY 1, 2`,
    `SELECT sequence_schema, sequence_name, data_type, start_value, increment FROM information_schema.sequences ORDER BY 1, 2`,
    'SELECT extname, extversion FROM pg_extension ORDER BY 1',
    'SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY id',
  ];
  const results = [];
  for (const query of queries) results.push((await client.query(query)).rows);
  return results;
}

// PGlite's own data directories: run once, by the project on the embedded database.
describe.skipIf(backend.name !== 'pglite')('a new embedded database from the migrated template', () => {
  // Made in a hook: a skipped describe (the postgres project) runs no hooks, and leaves nothing behind.
  let templatesDir: string;
  let shipped: TemplateResult;
  beforeAll(async () => {
    templatesDir = tempDir('templates');
    shipped = await ensureTemplate(templatesDir);
  }, 120_000);

  it('Should key the template to every migration: an edited, an added or a removed one changes the key', () => {
    const shipped = templateKey();
    expect(templateKey(migrationsLike(() => {}))).toBe(shipped);
    const edited = migrationsLike((folder) => {
      const path = join(folder, '0001_init.sql');
      writeFileSync(path, `${readFileSync(path, 'utf8')}\n-- one more line`);
    });
    const removed = migrationsLike((folder) => {
      const path = join(folder, 'meta/_journal.json');
      const journal = JSON.parse(readFileSync(path, 'utf8'));
      journal.entries.pop();
      writeFileSync(path, JSON.stringify(journal));
    });
    const keys = [shipped, templateKey(edited), templateKey(withExtraMigration()), templateKey(removed)];
    expect(new Set(keys).size).toBe(4);
  });

  it('Should hold exactly the schema that creating and migrating a database in place gives', {
    timeout: 120_000,
  }, async () => {
    expect(shipped.built).toBe(true);
    const fromTemplate = tempDir('from-template');
    await copyTemplate(shipped.path, fromTemplate);
    const copied = await open(fromTemplate);

    const inPlace = await open(tempDir('in-place'));
    const { applied } = await migrate(await openPglite({ client: inPlace }));
    expect(applied).toBeGreaterThan(0);

    const buffers = await copied.query<{ shared_buffers: string }>('SHOW shared_buffers');
    expect(buffers.rows[0]?.shared_buffers, 'zeroed at every open: kept small').toBe('16MB');
    const schema = await schemaOf(copied);
    expect((schema[0] as unknown[]).length, 'columns compared').toBeGreaterThan(50);
    expect(schema).toEqual(await schemaOf(inPlace));
    // Nothing left to apply: the copy is as current as the migrations.
    expect((await migrate(await openPglite({ client: copied }))).applied).toBe(0);
  });

  it('Should reuse the template for the same migrations and build a new one, dropping the old, when they change', {
    timeout: 120_000,
  }, async () => {
    const own = tempDir('templates-changing');
    cpSync(shipped.path, join(own, basename(shipped.path)), { recursive: true });
    // What builds that died left behind: an old one and one that may still be running.
    mkdirSync(join(own, '.building-dead'));
    utimesSync(join(own, '.building-dead'), new Date(Date.now() - 7_200_000), new Date(Date.now() - 7_200_000));
    mkdirSync(join(own, '.building-running'));
    const current = await ensureTemplate(own);
    expect(current).toEqual({ path: join(own, basename(shipped.path)), built: false });

    const changed = withExtraMigration();
    const next = await ensureTemplate(own, changed);
    expect(next.built).toBe(true);
    expect(next.path).not.toBe(current.path);
    expect(existsSync(current.path), 'the template of the old migrations is removed').toBe(false);
    expect(existsSync(join(own, '.building-dead')), 'an hour-old unfinished build is removed').toBe(false);
    expect(existsSync(join(own, '.building-running')), 'a recent one may still be running').toBe(true);

    const dataDir = tempDir('from-new-template');
    await copyTemplate(next.path, dataDir);
    const client = await open(dataDir);
    const table = await client.query<{ t: string | null }>("SELECT to_regclass('public.next_feature')::text AS t");
    expect(table.rows[0]?.t).toBe('next_feature');
    expect((await migrate(await openPglite({ client }), changed)).applied).toBe(0);
  });

  it('Should copy a template into a new data directory only, keeping the files already there', {
    timeout: 60_000,
  }, async () => {
    const dataDir = tempDir('opened');
    writeFileSync(join(dataDir, 'jwt-signing-key'), 'kept');
    const notes: string[] = [];
    const note = (message: string) => notes.push(message);
    const settings = {
      driver: 'pglite' as const,
      poolSize: 1,
      statementTimeoutMs: 0,
      dataDir,
      templateDir: templatesDir,
    };

    const first = await openDatabase(settings, { info: note, warn: note });
    await first.queryRows('SELECT 1');
    await first.close();
    expect(notes).toEqual(['new embedded database: copied the migrated template']);
    expect(readFileSync(join(dataDir, 'jwt-signing-key'), 'utf8')).toBe('kept');

    const again = await openDatabase(settings, { info: note, warn: note });
    cleanups.push(() => again.close());
    expect(notes, 'an existing cluster is opened as it is').toHaveLength(1);
  });

  it('Should create the database in place, saying why, where no template can be kept', {
    timeout: 120_000,
  }, async () => {
    // A read-only folder would not stop root; a path below a file stops everyone.
    const blocked = join(tempDir('blocked'), 'file');
    writeFileSync(blocked, '');
    const dataDir = tempDir('no-template');
    const warnings: Array<Record<string, unknown> | undefined> = [];
    const settings = {
      driver: 'pglite' as const,
      poolSize: 1,
      statementTimeoutMs: 0,
      dataDir,
      templateDir: join(blocked, 'templates'),
    };
    const handle = await openDatabase(settings, { info: () => {}, warn: (_message, fields) => warnings.push(fields) });
    cleanups.push(() => handle.close());
    expect(warnings).toHaveLength(1);
    expect(holdsCluster(dataDir)).toBe(true);
    expect((await migrate(handle)).applied, 'migrated at start-up instead').toBeGreaterThan(0);
  });
});
