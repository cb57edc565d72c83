import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { LOCAL_KEY_FILE, withLocalSigningKey } from './local-signing-key.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'edgeplane-key-'));
  dirs.push(dir);
  return join(dir, 'data');
};

describe('the signing key of the embedded default', () => {
  it('Should be created in DATA_DIR, owner-only, and be the same key on the next start', () => {
    const DATA_DIR = dataDir();
    const first = withLocalSigningKey(parseConfig({ DATA_DIR }));
    expect(first.keyFile).toBe(join(DATA_DIR, LOCAL_KEY_FILE));
    expect(statSync(first.keyFile as string).mode & 0o777).toBe(0o600);
    expect(first.config.auth.ephemeralKeys).toBe(false);
    const [key] = first.config.auth.signingKeys;
    expect(key?.kid).toBe('local');
    expect(key?.secret).toMatch(/^[0-9a-f]{64}$/);
    const second = withLocalSigningKey(parseConfig({ DATA_DIR }));
    expect(second.config.auth.signingKeys).toEqual(first.config.auth.signingKeys);
    // A different data directory is a different sandbox, with its own key.
    const other = withLocalSigningKey(parseConfig({ DATA_DIR: dataDir() }));
    expect(other.config.auth.signingKeys[0]?.secret).not.toBe(key?.secret);
  });

  it('Should leave configured keys and shared databases alone', () => {
    const DATA_DIR = dataDir();
    const configured = parseConfig({ DATA_DIR, JWT_SIGNING_KEYS: 'k1:0123456789abcdef0123456789abcdef' });
    expect(withLocalSigningKey(configured)).toEqual({ config: configured });
    const shared = parseConfig({ DATA_DIR, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' });
    const kept = withLocalSigningKey(shared);
    expect(kept.keyFile).toBeUndefined();
    expect(kept.config.auth.ephemeralKeys).toBe(true);
  });
});
