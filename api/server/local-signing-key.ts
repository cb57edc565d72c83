import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../../core/config.ts';

/** The key's file under DATA_DIR, beside the embedded database. */
export const LOCAL_KEY_FILE = 'jwt-signing-key';
const LOCAL_KID = 'local';

/** The secret kept in `dir` (created, owner-only, on first use). */
export function localSigningSecret(dir: string): { secret: string; keyFile: string } {
  const keyFile = join(dir, LOCAL_KEY_FILE);
  let secret = '';
  try {
    secret = readFileSync(keyFile, 'utf8').trim();
  } catch {
    // None yet.
  }
  if (secret.length < 32) {
    secret = randomBytes(32).toString('hex');
    mkdirSync(dir, { recursive: true });
    writeFileSync(keyFile, `${secret}\n`, { mode: 0o600 });
  }
  return { secret, keyFile };
}

/**
 * On the embedded default (PGlite under DATA_DIR, no JWT_SIGNING_KEYS), a signing key
 * kept in DATA_DIR instead of a random one per process, so a restart (or each save
 * under `npm run dev`) does not sign everyone out. Created on first use, readable by
 * its owner only. Any other setup is returned as it is: production refuses to start
 * without JWT_SIGNING_KEYS, and a shared database's servers need keys they share.
 */
export function withLocalSigningKey(config: AppConfig): { config: AppConfig; keyFile?: string } {
  if (!config.auth.ephemeralKeys || config.database.driver !== 'pglite' || config.env === 'production') {
    return { config };
  }
  const { secret, keyFile } = localSigningSecret(config.database.dataDir);
  const auth = { ...config.auth, signingKeys: [{ kid: LOCAL_KID, secret }], ephemeralKeys: false };
  return { config: { ...config, auth }, keyFile };
}
