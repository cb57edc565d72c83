import { createSignal } from 'solid-js';
import { allows, type Permission } from '../../../vocabulary/permissions.ts';
import { ApiProblem, api, call, mayHaveSession } from './api.ts';

export type Me = Awaited<ReturnType<typeof loadMe>>;

const [me, setMe] = createSignal<Me | null | undefined>(undefined);

/** The signed-in caller: undefined while unknown, null when signed out. */
export { me };

function loadMe() {
  return call(api.api.v1.auth.me.$get());
}

/**
 * Asks the API who is signed in (the session cookie decides). With no sign-in on this
 * browser (no session hint) the answer is known without asking: nobody.
 */
export async function loadSession(): Promise<Me | null> {
  if (!mayHaveSession()) {
    setMe(null);
    return null;
  }
  try {
    const current = await loadMe();
    setMe(current);
    return current;
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 401) {
      setMe(null);
      return null;
    }
    throw error;
  }
}

export async function signIn(email: string, password: string): Promise<void> {
  const session = await call(api.api.v1.auth.login.$post({ json: { email, password } }));
  // The session names its user, so no second round trip to /auth/me.
  setMe({ type: 'user', id: session.user.id, role: session.user.role, user: session.user });
}

export async function signOut(): Promise<void> {
  try {
    await api.api.v1.auth.logout.$post({ json: {} });
  } finally {
    setMe(null);
  }
}

/** Forgets the session locally (it expired on the server). */
export function clearSession(): void {
  setMe(null);
}

/** Whether the signed-in caller holds a permission; the API enforces the same table. */
export function can(permission: Permission): boolean {
  const current = me();
  return !!current && allows(current.role, permission);
}
