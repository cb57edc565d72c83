import { describe, expect, it } from 'vitest';
import { backend, useTestApp } from '../test/support/harness.ts';

describe.skipIf(backend.skip)(`app: errors, request ids, headers, OpenAPI [${backend.label}]`, () => {
  const t = useTestApp();

  it('Should answer unknown routes with a 404 problem document', async () => {
    const res = await t.request('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({
      type: 'urn:edgeplane:problem:not_found',
      title: 'Not found',
      status: 404,
      code: 'not_found',
      instance: '/api/v1/nothing-here',
    });
  });

  it('Should answer a method a path does not take with 405 and Allow, and change nothing', async () => {
    const created = await t.request('/api/v1/items', { method: 'POST', json: { title: 'method check' } });
    const { id, version } = (await created.json()) as { id: string; version: number };
    for (const method of ['PUT', 'POST']) {
      const res = await t.request(`/api/v1/items/${id}`, { method, json: { title: 'replaced' } });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD, PATCH, DELETE, OPTIONS');
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.json()).toMatchObject({
        code: 'method_not_allowed',
        status: 405,
        detail: `/api/v1/items/${id} does not answer ${method}; it answers GET, HEAD, PATCH, DELETE, OPTIONS.`,
      });
    }
    const after = (await (await t.request(`/api/v1/items/${id}`)).json()) as { title: string; version: number };
    expect(after).toMatchObject({ title: 'method check', version });
    const collection = await t.request('/api/v1/items/', { method: 'DELETE' });
    expect(collection.status).toBe(405);
    expect(collection.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    expect((await t.request('/health/live', { method: 'POST' })).headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('Should answer a plain OPTIONS with 204 and Allow, and an unknown path with 404 whatever the method', async () => {
    const options = await t.request('/api/v1/webhooks/00000000-0000-4000-8000-000000000000', { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, HEAD, PATCH, DELETE, OPTIONS');
    expect(await options.text()).toBe('');
    for (const method of ['OPTIONS', 'DELETE']) {
      const res = await t.request('/api/v1/nothing-here', { method });
      expect(res.status, method).toBe(404);
      expect(res.headers.get('allow')).toBeNull();
    }
  });

  it('Should echo a valid X-Request-Id and put it in problem documents', async () => {
    const res = await t.request('/api/v1/nothing', { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    expect((await res.json()).requestId).toBe('abc-123');
  });

  it('Should generate a request id when none (or an unsafe one) is sent', async () => {
    const res = await t.request('/health/live', { headers: { 'x-request-id': 'bad id with spaces\u0007' } });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('Should answer malformed JSON with 400 and a non-JSON body with 415', async () => {
    const malformed = await t.request('/api/v1/items', {
      method: 'POST',
      body: '{"title": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).code).toBe('invalid_request');
    const text = await t.request('/api/v1/items', {
      method: 'POST',
      body: 'title=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
  });

  it('Should reject a body over the size limit with 413', async () => {
    const res = await t.request('/api/v1/items', {
      method: 'POST',
      json: { title: 'big', description: 'x'.repeat(1_100_000) },
    });
    expect(res.status).toBe(413);
    expect((await res.json()).code).toBe('payload_too_large');
  });

  it('Should send security headers', async () => {
    const res = await t.request('/health/live');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).toContain('max-age=');
  });

  it('Should publish a complete OpenAPI 3.1 document', async () => {
    const res = await t.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    const ops = doc.paths;
    expect(Object.keys(ops)).toEqual(
      expect.arrayContaining(['/api/v1/items', '/api/v1/items/{id}', '/health/live', '/health/ready']),
    );
    expect(Object.keys(ops['/api/v1/items'].get.responses).sort()).toEqual(
      ['200', '400', '401', '403', '422', '429', '500', '503'].sort(),
    );
    expect(Object.keys(ops['/api/v1/items'].post.responses)).toEqual(
      expect.arrayContaining(['201', '400', '413', '415', '422', '500', '503']),
    );
    expect(Object.keys(ops['/api/v1/items/{id}'].patch.responses)).toEqual(
      expect.arrayContaining(['200', '404', '412', '422', '428', '503']),
    );
    expect(Object.keys(ops['/api/v1/items/{id}'].get.responses)).toEqual(expect.arrayContaining(['200', '304', '404']));
    expect(Object.keys(ops['/api/v1/items/{id}'].delete.responses)).toEqual(
      expect.arrayContaining(['204', '404', '412']),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Item', 'ItemList', 'CreateItem', 'UpdateItem', 'Problem']),
    );
    const params = ops['/api/v1/items'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(
      expect.arrayContaining(['limit', 'cursor', 'sort', 'status', 'priority', 'tag', 'owner', 'q']),
    );
  });

  it('Should serve the interactive reference at /docs', async () => {
    const res = await t.request('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('/openapi.json');
  });
});
