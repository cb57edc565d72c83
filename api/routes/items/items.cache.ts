import type { AppDeps } from '../../../core/deps.ts';
import { type Item, toItem } from '../../../core/items.ts';
import { appCache } from '../../../core/kv/cache.ts';
import * as queries from '../../../db/queries/items.ts';

/** The cache key of one item's API representation. */
export const itemCacheKey = (id: string) => `item:${id}`;

/**
 * A live item in its API shape, from the cache when a current copy is there. Only
 * reads by id are cached; lists always go to the database.
 */
export function readItem(deps: AppDeps, id: string): Promise<Item | undefined> {
  return appCache(deps).remember(itemCacheKey(id), deps.config.cacheSeconds.item, async () => {
    const row = await queries.getItem(deps.db, id);
    return row ? toItem(row) : undefined;
  });
}

/**
 * Drops every cached copy of an item. Whatever changes an item calls this once the
 * change has committed and before answering, so a read after the write sees it.
 */
export function forgetItem(deps: AppDeps, id: string): Promise<void> {
  return appCache(deps).invalidate(itemCacheKey(id));
}
