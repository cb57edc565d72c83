import type { Actor } from '../../../core/deps.ts';
import { toItem } from '../../../core/items.ts';
import { classifyDbError, dbErrorConstraint } from '../../../db/errors.ts';
import * as queries from '../../../db/queries/items.ts';
import { flushQueue } from '../../../jobs/enqueue.ts';
import { auditContext } from '../../lib/audit-context.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { ApiError } from '../../lib/errors.ts';
import { etag, parseEntityTags, strongVersions, weaklyMatches } from '../../lib/etag.ts';
import { empty, json } from '../../lib/respond.ts';
import type { AppRouteHandler } from '../../lib/types.ts';
import { forgetItem, readItem } from './items.cache.ts';
import type { CreateRoute, GetRoute, ListRoute, RemoveRoute, UpdateRoute } from './items.routes.ts';

const toDate = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null ? null : new Date(value);

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const query = c.req.valid('query');
  const descending = query.sort.startsWith('-');
  const sort = query.sort.replace(/^-/, '') as queries.SortKey;
  const { db } = c.get('deps');
  const filters = { status: query.status, priority: query.priority, tag: query.tag, ownerId: query.owner, q: query.q };
  const [page, total] = await Promise.all([
    queries.listItems(db, {
      ...filters,
      limit: query.limit,
      sort,
      direction: descending ? 'desc' : 'asc',
      after: query.cursor ? decodeCursor(query.cursor, query.sort) : undefined,
    }),
    // Counting reads every matching row, which a keyset page does not: only when asked.
    query.total ? queries.countItems(db, filters) : undefined,
  ]);
  return json(
    c,
    {
      data: page.rows.map(toItem),
      nextCursor: page.next ? encodeCursor(query.sort, page.next) : null,
      ...(total === undefined ? {} : { total }),
    },
    200,
  );
};

export const get: AppRouteHandler<GetRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const item = await readItem(c.get('deps'), id);
  if (!item) throw notFound(id);
  const tag = etag(item.version);
  const ifNoneMatch = c.req.valid('header')['if-none-match'];
  if (ifNoneMatch) {
    // If-None-Match uses weak comparison: W/"3" and "3" both match version 3. A list
    // that cannot be parsed is ignored, as a cache would (RFC 9110 §13.1.2).
    const tags = parseEntityTags(ifNoneMatch);
    if (tags && weaklyMatches(tags, item.version)) return empty(c, 304, { etag: tag });
  }
  return json(c, item, 200, { etag: tag });
};

export const create: AppRouteHandler<CreateRoute> = async (c) => {
  const body = c.req.valid('json');
  const deps = c.get('deps');
  const ownerId = body.ownerId === undefined ? defaultOwner(c.get('actor')) : body.ownerId;
  const { item, jobsQueued } = await withFieldErrors(() =>
    queries.createItem(deps.db, { ...body, ownerId, dueAt: toDate(body.dueAt) }, auditContext(c)),
  );
  if (jobsQueued) await flushQueue(deps);
  return json(c, toItem(item), 201, { etag: etag(item.version), location: `/api/v1/items/${item.id}` });
};

/** Whoever creates an item in person owns it unless the body names an owner; a machine (API key) owns nothing. */
function defaultOwner(actor: Actor): string | undefined {
  return actor.type === 'user' ? actor.id : undefined;
}

export const update: AppRouteHandler<UpdateRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const { version, ...patch } = c.req.valid('json');
  if (Object.keys(patch).length === 0) {
    throw new ApiError('validation_failed', {
      detail: 'The body changes nothing: send at least one field to update.',
      errors: [{ field: '(root)', in: 'body', message: 'at least one field is required' }],
    });
  }
  const expected = expectedVersions(c.req.valid('header')['if-match'], version);
  if (expected === undefined) {
    throw new ApiError('precondition_required', {
      detail: 'Send the ETag you read in If-Match (or its number as "version") so no update is lost.',
    });
  }
  const result = await withFieldErrors(() =>
    queries.updateItem(c.get('deps').db, id, expected, { ...patch, dueAt: toDate(patch.dueAt) }, auditContext(c)),
  );
  if (!result.ok) throw changeFailed(id, result);
  await forgetItem(c.get('deps'), id);
  if (result.jobsQueued) await flushQueue(c.get('deps'));
  return json(c, toItem(result.item), 200, { etag: etag(result.item.version) });
};

export const remove: AppRouteHandler<RemoveRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const ifMatch = c.req.valid('header')['if-match'];
  const expected = ifMatch === undefined ? 'any' : ifMatchVersions(ifMatch);
  const result = await queries.deleteItem(c.get('deps').db, id, expected, auditContext(c));
  if (!result.ok) throw changeFailed(id, result);
  await forgetItem(c.get('deps'), id);
  if (result.jobsQueued) await flushQueue(c.get('deps'));
  return empty(c, 204);
};

/**
 * The versions a conditional request accepts, from `If-Match` (RFC 9110 §13.1.1:
 * `*` accepts any existing item; a list accepts the versions of its strong tags,
 * possibly none, which fails the precondition) and the body's `version`.
 * Undefined when the request is not conditional at all.
 */
function expectedVersions(ifMatch: string | undefined, bodyVersion: number | undefined): number[] | 'any' | undefined {
  if (ifMatch === undefined) return bodyVersion === undefined ? undefined : [bodyVersion];
  const fromHeader = ifMatchVersions(ifMatch);
  if (bodyVersion === undefined) return fromHeader;
  if (fromHeader !== 'any' && !fromHeader.includes(bodyVersion)) {
    throw new ApiError('invalid_request', {
      detail: 'If-Match and "version" name different versions.',
      errors: [{ field: 'version', in: 'body', message: `is not one of If-Match ${ifMatch}` }],
    });
  }
  return [bodyVersion];
}

/** The versions `If-Match` accepts; a malformed value is a 400. */
function ifMatchVersions(ifMatch: string): number[] | 'any' {
  const list = parseEntityTags(ifMatch);
  if (!list) throw badIfMatch();
  return list.any ? 'any' : strongVersions(list);
}

function badIfMatch() {
  return new ApiError('invalid_request', {
    detail: 'If-Match must be "*" or a list of entity tags, e.g. "3" as the ETag header gives it.',
    errors: [{ field: 'if-match', in: 'header', message: 'must be "*" or a comma-separated list of entity tags' }],
  });
}

function notFound(id: string) {
  return new ApiError('not_found', { detail: `Item ${id} does not exist.` });
}

function changeFailed(id: string, result: Exclude<queries.ChangeResult, { ok: true }>) {
  if (result.reason === 'not_found') return notFound(id);
  return new ApiError('precondition_failed', {
    detail: `Item ${id} has changed: it is at version ${result.current.version}. Reload it and apply your change again.`,
    headers: { etag: etag(result.current.version) },
    extensions: { currentVersion: result.current.version },
  });
}

/** Maps constraint violations caused by the request to field errors. */
async function withFieldErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (classifyDbError(error) === 'foreign_key_violation' && dbErrorConstraint(error)?.includes('owner_id')) {
      throw new ApiError('validation_failed', {
        detail: 'ownerId does not name an existing user.',
        errors: [{ field: 'ownerId', in: 'body', message: 'no user with this id' }],
      });
    }
    throw error;
  }
}
