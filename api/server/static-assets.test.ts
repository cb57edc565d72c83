import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backend, useTestApp } from '../../test/support/harness.ts';
import { staticAssets } from './static-assets.ts';

const root = mkdtempSync(join(tmpdir(), 'edgeplane-assets-'));
mkdirSync(join(root, 'assets'));
writeFileSync(join(root, 'index.html'), '<!doctype html><title>Dashboard</title>');
writeFileSync(join(root, 'assets', 'index-abc123.js'), `console.log(${JSON.stringify('x'.repeat(4000))});`);
writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(backend.skip)(`dashboard served by the Node entry [${backend.label}]`, () => {
  const t = useTestApp({ assets: staticAssets(root) });

  it('Should serve index.html at / with no-cache, so a deploy is seen at once', async () => {
    const res = await t.request('/', { as: 'anonymous' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toContain('<title>Dashboard</title>');
  });

  it('Should cache hashed assets for a year and compress them', async () => {
    const res = await t.request('/assets/index-abc123.js', { as: 'anonymous', headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-encoding')).toBe('gzip');
  });

  it('Should answer a page path with index.html (client-side routing) but a missing file with 404', async () => {
    const page = await t.request('/items/0f8fad5b-d9cb-469f-a165-70867728950e?q=x', { as: 'anonymous' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Dashboard</title>');
    expect((await t.request('/assets/index-gone.js', { as: 'anonymous' })).status).toBe(404);
    expect((await t.request('/favicon.svg', { as: 'anonymous' })).headers.get('cache-control')).toContain(
      'max-age=3600',
    );
  });

  it('Should keep API paths for the API: an unknown one is a problem document, not the dashboard', async () => {
    for (const path of ['/api/v1/nothing', '/health/nothing']) {
      const res = await t.request(path, { as: 'anonymous' });
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toBe('application/problem+json');
    }
    const post = await t.request('/items', { as: 'anonymous', method: 'POST' });
    expect(post.status, 'only GET and HEAD reach the dashboard').toBe(404);
    expect(post.headers.get('content-type')).toBe('application/problem+json');
  });

  it('Should serve nothing from a directory without a build', () => {
    expect(staticAssets(join(root, 'assets'))).toBeUndefined();
    expect(staticAssets('')).toBeUndefined();
  });
});
