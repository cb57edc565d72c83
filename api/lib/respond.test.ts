import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { responseHeaders } from '../middleware/response-headers.ts';
import { createRouter } from './create-router.ts';
import { ApiError, handleError } from './errors.ts';
import { addResponseCookie, addResponseHeaders, empty, json, send } from './respond.ts';

const SECURITY = ['strict-transport-security', 'x-content-type-options', 'x-frame-options', 'referrer-policy'];

function app() {
  const router = createRouter();
  router.use(responseHeaders());
  router.use('/limited/*', (c, next) => {
    addResponseHeaders(c, { 'ratelimit-remaining': '7' });
    addResponseCookie(c, 'a=1; Path=/');
    addResponseCookie(c, 'b=2; Path=/');
    return next();
  });
  router.get('/json', (c) => json(c, { ok: true }, 200, { etag: '"3"' }));
  router.get('/limited/json', (c) => json(c, { ok: true }, 201, { location: '/x' }));
  router.get('/limited/own', () => new Response('plain', { headers: { 'content-type': 'text/plain' } }));
  router.get('/limited/fails', () => {
    throw new ApiError('conflict', { detail: 'No.', headers: { 'retry-after': '1' } });
  });
  router.get('/empty', (c) => empty(c, 304, { etag: '"3"' }));
  router.get('/bytes', (c) => send(c, new Uint8Array([1, 2, 3]), 200, { 'content-type': 'application/octet-stream' }));
  router.onError(handleError);
  return router;
}

describe('responses: the request’s headers on every response', () => {
  it('Should build a JSON response with the security headers, the request id and its own headers', async () => {
    const res = await app().request('/json', { headers: { 'x-request-id': 'given-1' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('etag')).toBe('"3"');
    expect(res.headers.get('x-request-id')).toBe('given-1');
    for (const name of SECURITY) expect(res.headers.get(name), name).toBeTruthy();
  });

  it('Should give a response built elsewhere the same headers and cookies once its handler is done', async () => {
    const built = await app().request('/limited/json');
    const own = await app().request('/limited/own');
    for (const res of [built, own]) {
      expect(res.headers.get('ratelimit-remaining')).toBe('7');
      expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      for (const name of SECURITY) expect(res.headers.get(name), name).toBeTruthy();
    }
    expect(built.status).toBe(201);
    expect(built.headers.get('location')).toBe('/x');
    expect(await own.text()).toBe('plain');
    expect(own.headers.get('content-type')).toBe('text/plain');
  });

  it('Should put headers decided before a handler that fails on its problem response, with the problem’s own', async () => {
    const res = await app().request('/limited/fails', { headers: { 'x-request-id': 'given-2' } });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.headers.get('ratelimit-remaining')).toBe('7');
    expect(res.headers.getSetCookie()).toHaveLength(2);
    expect(((await res.json()) as { requestId: string }).requestId).toBe('given-2');
  });

  it('Should answer without a body and with bytes as given', async () => {
    const none = await app().request('/empty');
    expect(none.status).toBe(304);
    expect(none.headers.get('etag')).toBe('"3"');
    expect(await none.text()).toBe('');
    const bytes = await app().request('/bytes');
    expect(new Uint8Array(await bytes.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('Should replace a request id that is too long or not a plain token', async () => {
    for (const given of ['x'.repeat(256), 'two words', 'semi;colon']) {
      const res = await app().request('/json', { headers: { 'x-request-id': given } });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("Should leave no route setting headers through Hono's context, whose headers a built response would not carry", () => {
    const root = new URL('../../', import.meta.url).pathname;
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'api/*.ts'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((file) => file && !file.endsWith('.test.ts') && !file.includes('/test/'));
    expect(files.length).toBeGreaterThan(20);
    const offending = /\bc\.(header|json|body|text)\(|\b(setCookie|deleteCookie)\(c\b/;
    const found = files.flatMap((file) =>
      readFileSync(`${root}${file}`, 'utf8')
        .split('\n')
        .map((line, i) => ({ file, line: i + 1, text: line }))
        .filter(({ text }) => offending.test(text) && !/^\s*(\/\/|\/?\*)/.test(text)),
    );
    expect(found).toEqual([]);
  });
});
