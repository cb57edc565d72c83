import type { InferRequestType, InferResponseType } from 'hono/client';
import { CLOSED_ITEM_STATUSES, ITEM_PRIORITIES, ITEM_STATUSES } from '../../../../vocabulary/enums.ts';
import { ApiProblem, api, call } from '../../lib/api.ts';

export { ITEM_PRIORITIES, ITEM_STATUSES };

export type Item = InferResponseType<(typeof api.api.v1.items)[':id']['$get'], 200>;
export type ItemBody = InferRequestType<typeof api.api.v1.items.$post>['json'];
export type ItemQuery = InferRequestType<typeof api.api.v1.items.$get>['query'];

export function fetchItem(id: string): Promise<Item> {
  return call(api.api.v1.items[':id'].$get({ param: { id }, header: {} }));
}

/** A missing item, or an id that cannot name one (the API refuses a malformed id with 422). */
export function isNotFound(error: unknown): boolean {
  return (
    error instanceof ApiProblem &&
    (error.status === 404 || (error.status === 422 && !!error.problem?.errors?.some((e) => e.in === 'path')))
  );
}

/** The version the API says an item is at now, from its 412 answer. */
export function currentVersionOf(error: ApiProblem): number | undefined {
  const version = (error.problem as { currentVersion?: unknown } | undefined)?.currentVersion;
  return typeof version === 'number' ? version : undefined;
}

/**
 * When an item's time is up. A due date chosen as a day is stored at 00:00 UTC and lasts
 * that whole day; any other instant is the deadline itself.
 */
export function deadlineOf(dueAt: string): number {
  const due = Date.parse(dueAt);
  return due % 86_400_000 === 0 ? due + 86_400_000 : due;
}

/** Past its due date and still open (not done, not archived). */
export function isOverdue(item: Pick<Item, 'dueAt' | 'status'>, now = Date.now()): boolean {
  return !!item.dueAt && !CLOSED_ITEM_STATUSES.includes(item.status) && deadlineOf(item.dueAt) < now;
}
