import type { InferResponseType } from 'hono/client';
import { createSignal } from 'solid-js';
import { api, call } from './api.ts';

export type UserName = InferResponseType<typeof api.api.v1.users.lookup.$get, 200>['data'][number];

/** Looked-up users by id; null for an id that names nobody. */
const known = new Map<string, UserName | null>();
/** Ids asked for once already and not answered (the lookup failed): not asked again on this page load. */
const given = new Set<string>();
const queued = new Set<string>();
const [revision, setRevision] = createSignal(0);
const BATCH = 100;

async function flush(): Promise<void> {
  const ids = [...queued];
  queued.clear();
  for (let i = 0; i < ids.length; i += BATCH) {
    const chunk = ids.slice(i, i + BATCH);
    try {
      const { data } = await call(api.api.v1.users.lookup.$get({ query: { ids: chunk.join(',') } }));
      for (const user of data) known.set(user.id, user);
      for (const id of chunk) if (!known.has(id)) known.set(id, null);
    } catch {
      // Names are a courtesy: the short id stays on screen.
    }
  }
  setRevision((n) => n + 1);
}

/**
 * The name and email of a user id, reactively: undefined until known. Every id read in
 * the same tick goes to the API in one lookup, so a table of owners costs one request.
 */
export function userName(id: string): UserName | null | undefined {
  revision();
  if (!known.has(id) && !given.has(id)) {
    given.add(id);
    if (!queued.size) queueMicrotask(() => void flush());
    queued.add(id);
  }
  return known.get(id);
}
