import { streamSSE } from 'hono/streaming';
import { createChangeSignal } from '../../../core/change-signal.ts';
import type { AppDeps } from '../../../core/deps.ts';
import { itemFromSnapshot } from '../../../core/items.ts';
import { beforeDeadline, LATE } from '../../../db/deadline.ts';
import {
  type FeedPosition,
  feedFilter,
  feedHead,
  feedPosition,
  olderThanRetention,
  readFeed,
} from '../../../db/queries/feed.ts';
import type { AuditLogRow } from '../../../db/schema.ts';
import { allows, type Permission, type Role } from '../../../vocabulary/permissions.ts';
import { ApiError } from '../../lib/errors.ts';
import { addResponseHeaders } from '../../lib/respond.ts';
import type { AppRouteHandler } from '../../lib/types.ts';
import type { StreamRoute } from './events.routes.ts';
import type { ChangeEvent } from './events.schemas.ts';

/** Who may see the changes of each entity: the same permissions as the routes that read them. */
const READ_PERMISSION: Record<string, Permission> = {
  item: 'items:read',
  job: 'jobs:read',
  user: 'users:manage',
  api_key: 'keys:manage',
  webhook: 'webhooks:manage',
  setting: 'settings:write',
};
const BATCH = 100;
/** How soon EventSource reconnects after the stream ends. */
const RETRY_MS = 3_000;

/** Streams open per caller in this process. */
const openStreams = new Map<string, number>();

function toEvent(row: AuditLogRow): ChangeEvent {
  const snapshot = (row.after ?? null) as Record<string, unknown> | null;
  return {
    id: row.id,
    type: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    actorType: row.actorType as ChangeEvent['actorType'],
    actorId: row.actorId,
    at: row.createdAt.toISOString(),
    data: snapshot && row.entityType === 'item' ? itemFromSnapshot(snapshot) : snapshot,
  };
}

/** Where the database cannot notify (neon-http), streams just wait out the poll interval. */
const NO_NOTIFICATIONS = createChangeSignal();

/** The entity types the role may follow, narrowed to those `types` asks for (403 naming one it may not). */
function entityTypesFor(role: Role, types: string[] | undefined): string[] {
  const readable = Object.entries(READ_PERMISSION)
    .filter(([, permission]) => allows(role, permission))
    .map(([entity]) => entity);
  if (!types) return readable;
  for (const type of types) {
    const entity = type.split('.')[0] as string;
    const permission = READ_PERMISSION[entity];
    if (!permission) {
      throw new ApiError('validation_failed', {
        errors: [{ field: 'types', in: 'query', message: `no such entity: ${entity}` }],
      });
    }
    if (!allows(role, permission)) {
      throw new ApiError('forbidden', {
        detail: `Following ${type} needs the "${permission}" permission, which the ${role} role does not have.`,
        extensions: { permission },
      });
    }
  }
  return readable.filter((entity) => types.some((type) => type.startsWith(`${entity}.`)));
}

async function startPosition(
  deps: AppDeps,
  resumeAfter: number | undefined,
): Promise<{ position: FeedPosition } | { reset: true }> {
  if (resumeAfter === undefined || resumeAfter === 0) {
    return { position: resumeAfter === 0 ? { xactId: '0', id: 0 } : await feedHead(deps.db) };
  }
  const position = await feedPosition(deps.db, resumeAfter);
  if (position) return { position };
  // Purged by retention (or never an event id): the client must reload and start again.
  if (await olderThanRetention(deps.db, resumeAfter)) return { reset: true };
  throw new ApiError('validation_failed', {
    errors: [{ field: 'last-event-id', in: 'header', message: `no event has the id ${resumeAfter}` }],
  });
}

export const stream: AppRouteHandler<StreamRoute> = async (c) => {
  const deps = c.get('deps');
  const actor = c.get('actor');
  if (!('role' in actor)) throw new ApiError('unauthorized');
  const { types, after } = c.req.valid('query');
  const resumeAfter = c.req.valid('header')['last-event-id'] ?? after;
  const wanted = feedFilter({ actions: types, entityTypes: entityTypesFor(actor.role, types) });
  const { feed } = deps.config;

  const caller = `${actor.type}:${actor.id}`;
  const open = openStreams.get(caller) ?? 0;
  if (open >= feed.maxStreamsPerCaller) {
    throw new ApiError('rate_limited', {
      detail: `This caller already has ${open} event streams open (at most ${feed.maxStreamsPerCaller}); close one first.`,
      headers: { 'retry-after': String(RETRY_MS / 1000) },
    });
  }
  const start = await startPosition(deps, resumeAfter);
  openStreams.set(caller, open + 1);

  addResponseHeaders(c, { 'x-accel-buffering': 'no' });
  return streamSSE(c, async (sse) => {
    const closed = new AbortController();
    sse.onAbort(() => closed.abort());
    const send = async (write: Promise<void>) => {
      // A client that stops reading holds the write: drop it instead of buffering for it.
      if ((await beforeDeadline(write, feed.writeTimeoutMs)) === LATE) {
        deps.logger.warnThrottled('event stream dropped: the client stopped reading', { caller });
        closed.abort();
        await sse.abort();
      }
    };
    try {
      if ('reset' in start) {
        await send(
          sse.writeSSE({
            event: 'reset',
            retry: RETRY_MS,
            data: JSON.stringify({
              reason: `event ${resumeAfter} is older than the retention; reload, then reconnect`,
            }),
          }),
        );
        return;
      }
      let position = start.position;
      await send(sse.writeSSE({ event: 'ready', id: String(position.id), retry: RETRY_MS, data: '{}' }));
      const endsAt = Date.now() + feed.maxStreamMs;
      let lastWrite = Date.now();
      while (!closed.signal.aborted) {
        if (Date.now() >= endsAt || deps.lifecycle?.().phase === 'stopping') {
          await send(sse.writeSSE({ event: 'end', retry: RETRY_MS, data: JSON.stringify({ reason: 'reconnect' }) }));
          return;
        }
        const rows = await readFeed(deps.db, { after: position, limit: BATCH });
        for (const row of rows) {
          if (closed.signal.aborted) return;
          if (wanted(row)) {
            const event = toEvent(row);
            await send(sse.writeSSE({ event: event.type, id: String(event.id), data: JSON.stringify(event) }));
            lastWrite = Date.now();
          }
          // Past every row read, wanted or not: the next look starts after them.
          position = { xactId: row.xactId, id: row.id };
        }
        if (rows.length === BATCH) continue;
        if (Date.now() - lastWrite >= feed.heartbeatMs) {
          await send(sse.write(': keep-alive\n\n').then(() => undefined));
          lastWrite = Date.now();
        }
        await (deps.changes ?? NO_NOTIFICATIONS).wait(feed.pollIntervalMs, closed.signal);
      }
    } catch (error) {
      // The database went away mid-stream: say so without its message (it may quote a
      // statement), and let the client reconnect with Last-Event-ID.
      deps.logger.warnThrottled('event stream ended: the feed could not be read', { caller, error });
      if (!closed.signal.aborted) {
        await send(sse.writeSSE({ event: 'end', retry: RETRY_MS, data: JSON.stringify({ reason: 'unavailable' }) }));
      }
    } finally {
      const now = (openStreams.get(caller) ?? 1) - 1;
      if (now > 0) openStreams.set(caller, now);
      else openStreams.delete(caller);
    }
  });
};
