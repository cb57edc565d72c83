import type { DbHandle, DriverName } from '../types.ts';

/** What opening a database needs (the `database` part of the app's configuration). */
export interface DatabaseSettings {
  driver: DriverName;
  url?: string;
  /** Neon SQL-over-HTTP endpoint override (the local stand-in). */
  neonEndpoint?: string;
  poolSize: number;
  /** 0: no limit. */
  statementTimeoutMs: number;
  /** pg: named prepared statements. */
  preparedStatements?: boolean;
  /** Where the embedded database keeps its files. */
  dataDir: string;
  /** Where the embedded database keeps migrated templates for new data directories; unset: none. */
  templateDir?: string;
}

/** Where opening reports what it did beyond opening (a `Logger` fits). */
export interface OpenNotes {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Opens the database the configuration names (Node, Deno and Bun). Drivers load
 * lazily so a process only pays for the one it uses.
 */
export async function openDatabase(config: DatabaseSettings, notes?: OpenNotes): Promise<DbHandle> {
  switch (config.driver) {
    case 'pglite': {
      const { openPglite } = await import('./pglite.ts');
      const { mkdir } = await import('node:fs/promises');
      await mkdir(config.dataDir, { recursive: true });
      if (config.templateDir) await fromTemplate(config.dataDir, config.templateDir, notes);
      return openPglite({ dataDir: config.dataDir });
    }
    case 'pg': {
      const { openPg } = await import('./pg.ts');
      return openPg({
        url: required(config.url),
        poolSize: config.poolSize,
        statementTimeoutMs: config.statementTimeoutMs,
        preparedStatements: config.preparedStatements,
      });
    }
    case 'neon-http': {
      const { openNeonHttp } = await import('../drivers/neon-http.ts');
      return openNeonHttp({
        url: required(config.url),
        endpoint: config.neonEndpoint,
        statementTimeoutMs: config.statementTimeoutMs,
      });
    }
  }
}

/**
 * A new embedded data directory as a copy of the template of the current migrations (built
 * first when there is none). Where that cannot be done (the template folder is read-only,
 * say), PGlite creates the cluster in place and start-up migrates it, as without a template.
 */
async function fromTemplate(dataDir: string, templateDir: string, notes?: OpenNotes): Promise<void> {
  const { copyTemplate, ensureTemplate, holdsCluster } = await import('./pglite-template.ts');
  if (holdsCluster(dataDir)) return;
  const started = Date.now();
  try {
    const template = await ensureTemplate(templateDir);
    await copyTemplate(template.path, dataDir);
    notes?.info(
      template.built
        ? 'new embedded database: built the migrated template for these migrations, then copied it'
        : 'new embedded database: copied the migrated template',
      { template: template.path, ms: Date.now() - started },
    );
  } catch (error) {
    notes?.warn('new embedded database without a template: creating and migrating it in place', {
      templateDir,
      error,
    });
  }
}

function required(url: string | undefined): string {
  if (!url) throw new Error('DATABASE_URL is required for this driver');
  return url;
}
