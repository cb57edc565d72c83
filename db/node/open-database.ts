import type { AppConfig } from '../../api/config.ts';
import type { DbHandle } from '../types.ts';

/**
 * Opens the database the configuration names (Node, Deno and Bun). Drivers load
 * lazily so a process only pays for the one it uses.
 */
export async function openDatabase(config: AppConfig['database']): Promise<DbHandle> {
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
