import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_PATHS } from './app.ts';

describe('API paths on the edge', () => {
  it('Should run the Worker first for exactly the paths the app keeps for the API', () => {
    const toml = readFileSync(new URL('../wrangler.toml', import.meta.url), 'utf8');
    const line = toml.split('\n').find((l) => l.startsWith('run_worker_first')) ?? '';
    expect(line, 'wrangler.toml [assets] run_worker_first').not.toBe('');
    const listed = JSON.parse(line.slice(line.indexOf('=') + 1));
    expect([...listed].sort()).toEqual([...API_PATHS].sort());
  });
});
