import type { Context } from 'hono';
import type { AuditContext } from '../../db/queries/audit.ts';
import type { AppEnv } from './types.ts';

/** The actor and request id of the current request, as audit rows record them. */
export function auditContext(c: Context<AppEnv>): AuditContext {
  const actor = c.get('actor');
  return { actorType: actor.type, actorId: actor.id, requestId: c.get('requestId') };
}
