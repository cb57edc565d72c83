import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { constants, copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { MIGRATIONS_FOLDER, migrate } from './migrate.ts';
import { createPglite, openPglite } from './pglite.ts';

/**
 * A new embedded database starts as a copy of a template: a PGlite data directory that was
 * created, migrated and shut down cleanly. Creating a cluster (initdb) and migrating it took
 * about 3 s of a 4 s first start on two cores; copying the 41 MB template takes 0.2-0.3 s.
 * A template is named after everything that decides its content (`templateKey`), so a
 * changed, added or removed migration, or another PGlite, never reuses an old one: the first
 * new data directory after such a change builds the template (the old cost, plus about
 * 0.5 s to copy and reopen it), every later one copies it.
 */

/** Raise when the way a template is made changes without the key noticing. */
const TEMPLATE_FORMAT = 1;
const PREFIX = 'migrated-';
const BUILDING = '.building-';
const HOUR_MS = 3_600_000;

const olderThanAnHour = async (path: string) => {
  try {
    return Date.now() - (await stat(path)).mtimeMs > HOUR_MS;
  } catch {
    return false;
  }
};
/** PGlite takes a data directory holding this file for an existing cluster, so it is copied last. */
const MARKER = 'PG_VERSION';

/** The installed PGlite's version: another one may not read this one's files. */
function pgliteVersion(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  for (; dirname(dir) !== dir; dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    if (!existsSync(path)) continue;
    const pkg = JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === '@electric-sql/pglite') return pkg.version ?? 'unknown';
  }
  return 'unknown';
}

/** What a template's content depends on, hashed: every migration (its SQL and its place) and the PGlite release. */
export function templateKey(migrationsFolder = MIGRATIONS_FOLDER): string {
  const migrations = readMigrationFiles({ migrationsFolder }).map((m) => [m.folderMillis, m.hash]);
  const identity = JSON.stringify({ format: TEMPLATE_FORMAT, pglite: pgliteVersion(), migrations });
  return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}

export interface TemplateResult {
  /** The template directory. */
  path: string;
  /** Whether it was built for this call (no template for these migrations existed). */
  built: boolean;
}

/**
 * The template for the migrations in `migrationsFolder`, built under `templatesDir` when
 * there is none yet. It is built aside and renamed into place, so a template that exists is
 * whole; when two processes build it at once, the first rename wins and the other's copy is
 * dropped. Templates of other keys are removed.
 */
export async function ensureTemplate(
  templatesDir: string,
  migrationsFolder = MIGRATIONS_FOLDER,
): Promise<TemplateResult> {
  const path = join(templatesDir, `${PREFIX}${templateKey(migrationsFolder)}`);
  if (existsSync(join(path, MARKER))) return { path, built: false };
  await mkdir(templatesDir, { recursive: true });
  const building = join(templatesDir, `${BUILDING}${randomUUID()}`);
  try {
    const client = await createPglite({ dataDir: building });
    try {
      await migrate(await openPglite({ client }), migrationsFolder);
    } finally {
      // A clean shutdown: the copy then starts without recovery.
      await client.close();
    }
    try {
      await rename(building, path);
    } catch (error) {
      if (!existsSync(join(path, MARKER))) throw error;
    }
  } finally {
    await rm(building, { recursive: true, force: true });
  }
  for (const name of await readdir(templatesDir)) {
    const other = join(templatesDir, name);
    // Templates of other migrations, and what a build that died an hour ago or more left.
    const stale = name.startsWith(PREFIX)
      ? other !== path
      : name.startsWith(BUILDING) && (await olderThanAnHour(other));
    if (stale) await rm(other, { recursive: true, force: true });
  }
  return { path, built: true };
}

/** Whether `dataDir` holds a cluster already (PGlite's own test). */
export const holdsCluster = (dataDir: string) => existsSync(join(dataDir, MARKER));

/** Every folder and file under `root`, as paths relative to it, folders before what they hold. */
async function tree(root: string, relative = ''): Promise<{ folders: string[]; files: string[] }> {
  const found = { folders: [] as string[], files: [] as string[] };
  for (const entry of await readdir(join(root, relative), { withFileTypes: true })) {
    const path = join(relative, entry.name);
    if (!entry.isDirectory()) {
      found.files.push(path);
      continue;
    }
    const inner = await tree(root, path);
    found.folders.push(path, ...inner.folders);
    found.files.push(...inner.files);
  }
  return found;
}

/** Files copied at once: a data directory is a thousand small files, and each waits on the file system. */
const COPIES_IN_FLIGHT = 8;

/**
 * Copies the template into `dataDir` (which may hold other files, such as the signing key).
 * Several files at a time: Node's own recursive copy takes them one by one, about twice as
 * long. Its marker comes last, so an interrupted copy is not taken for a cluster: the next
 * start copies again. Files are cloned where the file system can share them until written.
 */
export async function copyTemplate(template: string, dataDir: string): Promise<void> {
  const { folders, files } = await tree(template);
  const copy = (path: string) => copyFile(join(template, path), join(dataDir, path), constants.COPYFILE_FICLONE);
  try {
    await mkdir(dataDir, { recursive: true });
    for (const folder of folders) await mkdir(join(dataDir, folder), { recursive: true });
    const queue = files.filter((path) => path !== MARKER);
    const workers = Array.from({ length: COPIES_IN_FLIGHT }, async () => {
      for (let path = queue.pop(); path !== undefined; path = queue.pop()) await copy(path);
    });
    await Promise.all(workers);
    await copy(MARKER);
  } catch (error) {
    // Nothing half-copied may stay for initdb to trip over.
    for (const name of await readdir(template)) await rm(join(dataDir, name), { recursive: true, force: true });
    throw error;
  }
}
