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
}

/**
 * Opens the database the configuration names (Node, Deno and Bun). Drivers load
 * lazily so a process only pays for the one it uses.
 */
export async function openDatabase(config: DatabaseSettings): Promise<DbHandle> {
  switch (config.driver) {
    case 'pglite': {
      const { openPglite } = await import('./pglite.ts');
      const { mkdir } = await import('node:fs/promises');
      await mkdir(config.dataDir, { recursive: true });
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

function required(url: string | undefined): string {
  if (!url) throw new Error('DATABASE_URL is required for this driver');
  return url;
}
