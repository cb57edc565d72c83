import '@testing-library/jest-dom/vitest';
import { cleanup } from '@solidjs/testing-library';
import { afterEach, inject } from 'vitest';
import { DEMO_PASSWORD } from '../../../db/seed.ts';
import type { Role } from '../../../vocabulary/permissions.ts';
import { configureApi } from '../lib/api.ts';
import { loadSession } from '../lib/session.ts';

afterEach(cleanup);
// jsdom has no layout; the router scrolls to the top on navigation.
window.scrollTo = () => {};

const tokens = new Map<Role, string>();

/**
 * Points the dashboard's client at the test API, signed in as a demo user of `role`
 * (a bearer token stands in for the browser's session cookie), with its session loaded.
 */
export async function signInAs(role: Role = 'admin'): Promise<void> {
  const baseUrl = inject('apiUrl');
  let token = tokens.get(role);
  if (!token) {
    const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `${role}@edgeplane.local`, password: DEMO_PASSWORD }),
    });
    if (!res.ok) throw new Error(`signing in as ${role} failed: ${res.status} ${await res.text()}`);
    token = ((await res.json()) as { accessToken: string }).accessToken;
    tokens.set(role, token);
  }
  configureApi({ baseUrl, headers: { authorization: `Bearer ${token}` } });
  // The session the shell would load, so `can()` answers for this role.
  await loadSession();
}
