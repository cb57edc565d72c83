import { createRoute, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { createRouter } from './create-router.ts';
import { ApiError, handleError } from './errors.ts';

/** A route with a header parameter behind a check that runs first (as authentication does). */
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
      params: z.object({ id: z.string().regex(/^\d+$/) }),
      headers: z.object({ 'if-none-match': z.string().max(8).optional(), 'x-mode': z.enum(['a', 'b']).default('a') }),
    },
    responses: { 200: { description: 'The thing.' } },
  });
  router.openapi(route, (c) => c.json({ header: c.req.valid('header'), param: c.req.valid('param') }, 200));
  router.onError(handleError);
  router.doc31('/doc', { openapi: '3.1.0', info: { title: 't', version: '1' } });
  return router;
}

const call = (headers: Record<string, string>, id = '7') =>
  headerRoute().request(`/things/${id}`, { headers: { authorization: 'Bearer ok', ...headers } });

describe('header parameters', () => {
  it('Should hand the handler the declared headers, matched whatever their case, with defaults applied', async () => {
    const res = await call({ 'If-None-Match': '"3"', 'X-Other': 'not declared' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ header: { 'if-none-match': '"3"', 'x-mode': 'a' }, param: { id: '7' } });
    expect(await (await call({ 'x-mode': 'b' })).json()).toMatchObject({ header: { 'x-mode': 'b' } });
  });

  it('Should answer 422 naming the header, after the route middleware and before the other parameters', async () => {
    const invalid = await call({ 'if-none-match': 'far-too-long' });
    expect(invalid.status).toBe(422);
    expect((await invalid.json()).errors).toEqual([expect.objectContaining({ field: 'if-none-match', in: 'header' })]);
    const both = await call({ 'x-mode': 'c' }, 'abc');
    expect((await both.json()).errors).toEqual([expect.objectContaining({ field: 'x-mode', in: 'header' })]);
    const anonymous = await headerRoute().request('/things/7', { headers: { 'x-mode': 'c' } });
    expect(anonymous.status).toBe(401);
  });

  it('Should document the header parameters as declared', async () => {
    const doc = await (await headerRoute().request('/doc')).json();
    const parameters = doc.paths['/things/{id}'].get.parameters as Array<{ name: string; in: string }>;
    expect(parameters.map((p) => `${p.in} ${p.name}`)).toEqual(['path id', 'header if-none-match', 'header x-mode']);
  });
});
