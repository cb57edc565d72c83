import type { InferRequestType, InferResponseType } from 'hono/client';
import { ITEM_PRIORITIES, ITEM_STATUSES } from '../../../../vocabulary/enums.ts';
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
