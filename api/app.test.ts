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
