import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.ts';

describe('config', () => {
  it('Should default to the embedded database, migrating and seeding it', () => {
    const config = parseConfig({});
    expect(config.database).toMatchObject({
      driver: 'pglite',
      dataDir: './.data',
      migrateOnStart: true,
      seedDemoData: true,
    });
    expect(config.port).toBe(8787);
    expect(config.host).toBe('127.0.0.1');
  });

  it('Should choose pg for a plain Postgres URL and neon-http for a Neon host', () => {
    expect(parseConfig({ DATABASE_URL: 'postgres://u@db:5432/app' }).database).toMatchObject({
      driver: 'pg',
      migrateOnStart: false,
      seedDemoData: false,
    });
    expect(
      parseConfig({ DATABASE_URL: 'postgresql://u:p@ep-x-1.eu-central-1.aws.neon.tech/app' }).database.driver,
    ).toBe('neon-http');
    expect(
      parseConfig({ DATABASE_URL: 'postgres://u@localhost/app', DATABASE_DRIVER: 'neon-http' }).database.driver,
    ).toBe('neon-http');
  });

  it('Should name every bad field in one error', () => {
    const attempt = () => parseConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const fields = (error as ConfigError).issues.map((i) => i.field);
      expect(fields).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'LOG_LEVEL']));
      expect((error as Error).message).toContain('PORT');
    }
  });

  it('Should require DATABASE_URL for a server driver', () => {
    expect(() => parseConfig({ DATABASE_DRIVER: 'pg' })).toThrow(/DATABASE_URL/);
  });

  it('Should parse booleans and lists from strings, ignoring empty values', () => {
    const config = parseConfig({
      MIGRATE_ON_START: 'false',
      ACCESS_LOG: 'off',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      PORT: '',
    });
    expect(config.database.migrateOnStart).toBe(false);
    expect(config.accessLog).toBe(false);
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.port).toBe(8787);
  });
});
