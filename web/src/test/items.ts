import { api, call } from '../lib/api.ts';
import { loadSession } from '../lib/session.ts';
import type { ItemBody } from '../pages/items/item-data.ts';
import { signInAs } from './setup.ts';

/** Signs in as a demo user and loads the session, so the pages' permission checks see the role. */
export async function signIn(role: 'admin' | 'editor' | 'viewer'): Promise<void> {
  await signInAs(role);
  await loadSession();
}

/** A word no other test's data contains (the database is shared by the whole run). */
export function unique(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

export function createItem(body: ItemBody) {
  return call(api.api.v1.items.$post({ json: body }));
}
