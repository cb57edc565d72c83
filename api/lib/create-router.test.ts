import { createRoute, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { createRouter } from './create-router.ts';
import { ApiError, handleError } from './errors.ts';

/** A route with path, query and header parameters behind a check that runs first (as authentication does). */
function headerRoute() {
  const router = createRouter();
  const route = createRoute({
    method: 'get',
    path: '/things/{id}',
    middleware: [
      async (c, next) => {
        if (c.req.header('authorization') !== 'Bearer ok') throw new ApiError('unauthorized', { detail: 'no' });
        await next();
      },
    ],
    request: {
      query: z.object({ q: z.string().max(3).optional(), tag: z.union([z.string(), z.array(z.string())]).optional() }),
      params: z.object({ id: z.string().regex(/^\d+$/) }),
      headers: z.object({ 'if-none-match': z.string().max(8).optional(), 'x-mode': z.enum(['a', 'b']).default('a') }),
    },
    responses: { 200: { description: 'The thing.' } },
  });
  router.openapi(route, (c) =>
    c.json({ header: c.req.valid('header'), param: c.req.valid('param'), query: c.req.valid('query') }, 200),
  );
  router.onError(handleError);
  router.doc31('/doc', { openapi: '3.1.0', info: { title: 't', version: '1' } });
  return router;
}

const call = (headers: Record<string, string>, id = '7', query = '') =>
  headerRoute().request(`/things/${id}${query}`, { headers: { authorization: 'Bearer ok', ...headers } });

describe('route parameters', () => {
  it('Should hand the handler the declared headers, matched whatever their case, with defaults applied', async () => {
    const res = await call({ 'If-None-Match': '"3"', 'X-Other': 'not declared' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      header: { 'if-none-match': '"3"', 'x-mode': 'a' },
      param: { id: '7' },
      query: {},
    });
    expect(await (await call({ 'x-mode': 'b' })).json()).toMatchObject({ header: { 'x-mode': 'b' } });
    // A query name given once is a string, given more than once a list.
    expect(await (await call({}, '7', '?q=ab&tag=x')).json()).toMatchObject({ query: { q: 'ab', tag: 'x' } });
    expect(await (await call({}, '7', '?tag=x&tag=y')).json()).toMatchObject({ query: { tag: ['x', 'y'] } });
  });

  it('Should answer 422 naming the parameter, after the route middleware: query, then path, then headers', async () => {
    const errors = async (res: Response) => ((await res.json()) as { errors: unknown[] }).errors;
    const invalid = await call({ 'if-none-match': 'far-too-long' });
    expect(invalid.status).toBe(422);
    expect(await errors(invalid)).toEqual([expect.objectContaining({ field: 'if-none-match', in: 'header' })]);
    const both = await call({ 'x-mode': 'c' }, 'abc');
    expect(both.status).toBe(422);
    expect(await errors(both)).toEqual([expect.objectContaining({ field: 'id', in: 'path' })]);
    const all = await call({ 'x-mode': 'c' }, 'abc', '?q=long');
    expect(await errors(all)).toEqual([expect.objectContaining({ field: 'q', in: 'query' })]);
    const anonymous = await headerRoute().request('/things/7', { headers: { 'x-mode': 'c' } });
    expect(anonymous.status).toBe(401);
  });

  it('Should document the parameters as declared', async () => {
    const doc = (await (await headerRoute().request('/doc')).json()) as {
      paths: Record<string, { get: { parameters: unknown } }>;
    };
    const parameters = doc.paths['/things/{id}']?.get.parameters as Array<{ name: string; in: string }>;
    expect(parameters.map((p) => `${p.in} ${p.name}`)).toEqual([
      'path id',
      'query q',
      'query tag',
      'header if-none-match',
      'header x-mode',
    ]);
  });
});

/** A route with a required JSON body, as item and job writes declare theirs. */
function bodyRoute() {
  const router = createRouter();
  const route = createRoute({
    method: 'post',
    path: '/things',
    request: {
      body: {
        required: true,
        content: {
          'application/json': { schema: z.object({ name: z.string().min(1), size: z.number().int().default(1) }) },
        },
      },
    },
    responses: { 201: { description: 'Made.' } },
  });
  router.openapi(route, (c) => c.json({ body: c.req.valid('json') }, 201));
  router.onError(handleError);
  router.doc31('/doc', { openapi: '3.1.0', info: { title: 't', version: '1' } });
  return router;
}

const post = (body: string | null, type?: string) =>
  bodyRoute().request('/things', { method: 'POST', body, headers: type ? { 'content-type': type } : {} });

describe('route bodies', () => {
  it('Should hand the handler the parsed body with defaults applied, whatever parameters its JSON type has', async () => {
    for (const type of ['application/json', 'application/json; charset=utf-8', 'application/merge-patch+json']) {
      const res = await post(JSON.stringify({ name: 'a' }), type);
      expect(res.status, type).toBe(201);
      expect(await res.json()).toEqual({ body: { name: 'a', size: 1 } });
    }
  });

  it('Should answer 415 for another media type or a body without one, 400 for malformed JSON, 422 naming the field', async () => {
    expect((await post('name=a', 'text/plain')).status).toBe(415);
    expect((await post('{"name":"a"}')).status).toBe(415);
    const malformed = await post('{"name":', 'application/json');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toBe('application/problem+json');
    const invalid = await post(JSON.stringify({ name: '', size: 1.5 }), 'application/json');
    expect(invalid.status).toBe(422);
    expect(((await invalid.json()) as { errors: Array<{ field: string; in: string }> }).errors).toEqual([
      expect.objectContaining({ field: 'name', in: 'body' }),
      expect.objectContaining({ field: 'size', in: 'body' }),
    ]);
    // No body and no type: the body's required fields are what is missing.
    expect((await post(null)).status).toBe(422);
  });

  it('Should document the body as declared', async () => {
    const doc = (await (await bodyRoute().request('/doc')).json()) as {
      paths: Record<string, { post: { requestBody: { required: boolean; content: Record<string, unknown> } } }>;
    };
    const body = doc.paths['/things']?.post.requestBody;
    expect(body?.required).toBe(true);
    expect(Object.keys(body?.content ?? {})).toEqual(['application/json']);
  });
});
