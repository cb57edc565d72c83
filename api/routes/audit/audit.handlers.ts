import { listAuditLogs } from '../../../db/queries/audit-log.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { json } from '../../lib/respond.ts';
import type { AppRouteHandler } from '../../lib/types.ts';
import type { ListRoute } from './audit.routes.ts';
import { toAuditEntry } from './audit.schemas.ts';

const SORT = '-created';

export const list: AppRouteHandler<ListRoute> = async (c) => {
  const { cursor, from, to, ...filters } = c.req.valid('query');
  const page = await listAuditLogs(c.get('deps').db, {
    ...filters,
    after: cursor ? decodeCursor(cursor, SORT) : undefined,
    from: from ? new Date(from) : undefined,
    to: to ? new Date(to) : undefined,
  });
  return json(
    c,
    { data: page.rows.map(toAuditEntry), nextCursor: page.next ? encodeCursor(SORT, page.next) : null },
    200,
  );
};
