import type { Context } from 'hono';
import { currentTraceparent } from '../../core/observability/scope.ts';
import type { AuditContext } from '../../db/queries/audit.ts';
import type { AppEnv } from './types.ts';

/** The actor, request id and trace of the current request, as audit rows and jobs record them. */
export function auditContext(c: Context<AppEnv>): AuditContext {
  const actor = c.get('actor');
  return {
    actorType: actor.type,
    actorId: actor.id,
    requestId: c.get('requestId'),
    traceparent: currentTraceparent(c.get('deps')),
  };
}
