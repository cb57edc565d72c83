import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backend, testDatabase } from '../../test/support/harness.ts';
import { MIGRATIONS_FOLDER } from './migrate.ts';
import { readSchemaState, SchemaNotMigrated } from './schema-state.ts';

interface Journal {
  entries: Array<{ idx: number; version: string; when: number; tag: string; breakpoints: boolean }>;
}

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A copy of the shipped migrations, changed by `edit` (as a newer or an older version would ship them). */
function migrationsLike(edit: (journal: Journal, folder: string) => void): string {
  const folder = mkdtempSync(join(tmpdir(), 'edgeplane-migrations-'));
  folders.push(folder);
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const path = join(folder, 'meta/_journal.json');
  const journal = JSON.parse(readFileSync(path, 'utf8')) as Journal;
  edit(journal, folder);
  writeFileSync(path, JSON.stringify(journal));
  return folder;
}

describe.skipIf(backend.skip)(`the schema state read at start-up [${backend.label}]`, () => {
  it('Should read a migrated database as current', async () => {
    const state = await readSchemaState(await testDatabase());
    expect(state.state).toBe('current');
    expect(state.applied).toBeGreaterThanOrEqual(5);
  });

  it('Should count the migrations a newer version ships as pending', async () => {
    const newer = migrationsLike((journal, folder) => {
      const last = journal.entries.at(-1) as Journal['entries'][number];
      journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1_000, tag: '9999_next' });
      writeFileSync(join(folder, '9999_next.sql'), 'SELECT 1;');
    });
    const state = await readSchemaState(await testDatabase(), newer);
    expect(state).toMatchObject({ state: 'behind', pending: 1 });
    const error = new SchemaNotMigrated(state as { applied: number; pending: number });
    expect(error.message).toMatch(/older than this version \(1 of \d+ migrations pending\): run `npm run db:migrate`/);
  });

  it('Should see a database migrated by a newer version as ahead, not behind', async () => {
    const older = migrationsLike((journal) => {
      journal.entries.pop();
    });
    expect(await readSchemaState(await testDatabase(), older)).toMatchObject({ state: 'ahead', unknown: 1 });
  });
});
