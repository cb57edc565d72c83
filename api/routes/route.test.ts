import { describe, expect, it } from 'vitest';
import { backend, useTestApp } from '../../test/support/harness.ts';

type Doc = { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };

/** The statuses the served document declares for an operation. */
const declared = (doc: Doc, method: string, path: string) => Object.keys(doc.paths[path]?.[method]?.responses ?? {});

describe.skipIf(backend.skip)(`routes declare what the shared middleware answers [${backend.label}]`, () => {
  const t = useTestApp();
  let doc: Doc;

  it('Should declare, on every API operation, 500, 503 (start-up, database) and 422 (text check)', async () => {
    doc = (await (await t.request('/openapi.json', { as: 'anonymous' })).json()) as Doc;
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => ({ path, method })),
    );
    expect(operations.length).toBeGreaterThan(30);
    for (const { path, method } of operations.filter((o) => o.path.startsWith('/api/'))) {
      expect(declared(doc, method, path), `${method} ${path}`).toEqual(expect.arrayContaining(['422', '500', '503']));
    }
  });

  it('Should declare the body statuses (400, 413, 415) where a body is read, and 429 except on QStash deliveries', async () => {
    doc ??= (await (await t.request('/openapi.json', { as: 'anonymous' })).json()) as Doc;
    for (const path of ['/api/v1/auth/refresh', '/api/v1/auth/logout', '/api/v1/jobs/deliver']) {
      expect(declared(doc, 'post', path), path).toEqual(expect.arrayContaining(['400', '413', '415', '422']));
    }
    expect(declared(doc, 'delete', '/api/v1/items/{id}')).toEqual(expect.arrayContaining(['400', '412', '413']));
    expect(declared(doc, 'post', '/api/v1/auth/login')).toContain('429');
    expect(declared(doc, 'post', '/api/v1/jobs/deliver')).not.toContain('429');
  });

  it('Should answer what it declares: 415 for a refresh that is not JSON', async () => {
    const refresh = await t.request('/api/v1/auth/refresh', {
      method: 'POST',
      as: 'anonymous',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(refresh.status).toBe(415);
    expect(refresh.headers.get('content-type')).toBe('application/problem+json');
  });
});
