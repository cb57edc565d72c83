import type { InferRequestType } from 'hono/client';
import type { api } from '../../lib/api.ts';

export type AuditQuery = InferRequestType<typeof api.api.v1.audit.$get>['query'];
export type ActorType = NonNullable<AuditQuery['actorType']>;

export const ACTOR_TYPES: readonly ActorType[] = ['user', 'api_key', 'system', 'anonymous'];

/** The filters as they sit in the URL: the dates as the date inputs give them (YYYY-MM-DD). */
export interface AuditParams {
  action?: string;
  entityType?: string;
  entityId?: string;
  actorType?: string;
  from?: string;
  to?: string;
  cursor?: string;
}

export const FILTER_NAMES = ['action', 'entityType', 'entityId', 'actorType', 'from', 'to'] as const;

/**
 * Midnight (local time) starting `date`, `days` later, as an ISO instant. Something that
 * is not a date goes to the API as it is, which names the field in its 422.
 */
function dayStart(date: string, days = 0): string {
  const day = new Date(`${date}T00:00:00`);
  if (Number.isNaN(day.getTime())) return date;
  day.setDate(day.getDate() + days);
  return day.toISOString();
}

/**
 * The API query for the URL's filters. The range covers whole local days: `to` is
 * exclusive in the API, so the day after the chosen one is sent and that day counts in full.
 */
export function toAuditQuery(params: AuditParams): AuditQuery {
  return {
    action: params.action || undefined,
    entityType: params.entityType || undefined,
    entityId: params.entityId || undefined,
    actorType: (params.actorType || undefined) as ActorType | undefined,
    from: params.from ? dayStart(params.from) : undefined,
    to: params.to ? dayStart(params.to, 1) : undefined,
    cursor: params.cursor || undefined,
  };
}
