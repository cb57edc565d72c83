import { describe, expect, it } from 'vitest';
import { backend, IDENTITIES, type Identity, useTestApp } from '../../test/support/harness.ts';
import { allows, PERMISSIONS, type Permission, type Role } from '../../vocabulary/permissions.ts';

interface Operation {
  method: string;
  path: string;
  permission: string | undefined;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * Every operation of the published OpenAPI document × every kind of caller. The
 * table comes from the document itself, so a new route is covered (and must declare
 * its permission) without anyone editing this test.
 */
describe.skipIf(backend.skip)(`authorization matrix [${backend.label}]`, () => {
  const t = useTestApp();

  const operations = async (): Promise<Operation[]> => {
    const doc = await (await t.request('/openapi.json', { as: 'anonymous' })).json();
    return Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, op]) => ({ method: method.toUpperCase(), path, permission: op['x-permission'] as string })),
    );
  };
  const call = (op: Operation, as: Identity) =>
    t.request(op.path.replace(/\{[^}]+\}/g, crypto.randomUUID()), {
      method: op.method,
      as,
      ...(op.method === 'GET' || op.method === 'DELETE' ? {} : { json: {} }),
    });
  const roleOf = (identity: Identity): Role | undefined =>
    identity === 'anonymous' ? undefined : (identity.replace(/-key$/, '') as Role);

  it('Should declare a known permission (or public) on every operation', async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThan(20);
    for (const op of ops) {
      expect(op.permission, `${op.method} ${op.path}`).toBeDefined();
      expect(['public', ...Object.keys(PERMISSIONS)], `${op.method} ${op.path}`).toContain(op.permission);
    }
  });

  it('Should answer 401 to anonymous callers, 403 to roles without the permission, and let the rest through', async () => {
    const failures: string[] = [];
    for (const op of await operations()) {
      const statuses = new Map<Identity, number>();
      for (const identity of IDENTITIES) statuses.set(identity, (await call(op, identity)).status);
      for (const identity of IDENTITIES) {
        const status = statuses.get(identity) as number;
        const role = roleOf(identity);
        let expected: string;
        let ok: boolean;
        if (op.permission === 'public') {
          // Credentials make no difference to a public route.
          expected = `${statuses.get('admin')} like admin`;
          ok = status === statuses.get('admin');
        } else if (!role) {
          expected = '401';
          ok = status === 401;
        } else if (!allows(role, op.permission as Permission)) {
          expected = '403';
          ok = status === 403;
        } else {
          expected = 'neither 401 nor 403';
          ok = status !== 401 && status !== 403;
        }
        if (!ok) failures.push(`${op.method} ${op.path} as ${identity}: ${status}, expected ${expected}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('Should refuse a revoked-looking API key and a garbage token with 401, naming the reason', async () => {
    const key = await t.request('/api/v1/items', { headers: { authorization: 'Bearer ep_not-a-real-key' } });
    expect(key.status).toBe(401);
    expect((await key.json()).detail).toMatch(/API key/);
    const jwt = await t.request('/api/v1/items', { headers: { authorization: 'Bearer a.b.c' } });
    expect(jwt.status).toBe(401);
    expect(jwt.headers.get('www-authenticate')).toContain('Bearer');
  });
});
