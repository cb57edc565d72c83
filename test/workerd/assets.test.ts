import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

// On Cloudflare the asset router answers dashboard paths before the Worker runs; here
// (SELF skips that router) a page path reaches the Worker, which hands it to ASSETS.
describe('dashboard assets on the edge', () => {
  it('Should have the dashboard build in the ASSETS binding', async () => {
    const res = await env.ASSETS.fetch('http://edgeplane.test/index.html');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="root">');
  });

  it('Should answer a page path that reaches the Worker with index.html (SPA fallback)', async () => {
    const res = await SELF.fetch('http://edgeplane.test/items/new');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('<div id="root">');
  });

  it('Should keep unknown API paths a problem document, never index.html', async () => {
    const res = await SELF.fetch('http://edgeplane.test/api/v1/nothing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});
