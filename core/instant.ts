import { z } from '@hono/zod-openapi';

/**
 * The instants a client may send: an RFC 3339 date and time with its offset, from year
 * 0001 to 9999 once in UTC, as a 422 naming the field otherwise. Postgres has no year 0
 * (the statement failed, a 400 naming no field), and a later year would come back in
 * JSON with a sign (`+010000-…`), which is no RFC 3339 date and time.
 */
const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

const INSTANT_EXAMPLE = '2030-07-01T09:00:00Z';

export function instant() {
  return z.iso
    .datetime({ offset: true, abort: true, error: `must be a date and time such as ${INSTANT_EXAMPLE}` })
    .refine(
      (text) => {
        const at = Date.parse(text);
        return at >= EARLIEST && at <= LATEST;
      },
      { error: 'must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z' },
    );
}
