import { sql } from 'drizzle-orm';
import { executeRows } from '../execute.ts';
import { itemPriority, itemStatus, jobStatus } from '../schema.ts';
import type { Database } from '../types.ts';

export const CREATED_PER_DAY_DAYS = 30;
export const DURATION_WINDOW_DAYS = 7;

export interface Stats {
  items: {
    byStatus: Record<(typeof itemStatus.enumValues)[number], number>;
    byPriority: Record<(typeof itemPriority.enumValues)[number], number>;
    /** Oldest first, one entry per UTC day, days without items included. */
    createdPerDay: { date: string; count: number }[];
  };
  jobs: {
    byState: Record<(typeof jobStatus.enumValues)[number], number>;
    byType: Record<string, number>;
    /** Run time (finished_at - started_at) of jobs that succeeded in the window, in milliseconds. */
    durationMs: { count: number; p50: number | null; p90: number | null; p99: number | null };
  };
}

interface StatsRow {
  by_status: Record<string, number> | null;
  by_priority: Record<string, number> | null;
  created_per_day: { date: string; count: number }[];
  by_state: Record<string, number> | null;
  by_type: Record<string, number> | null;
  durations: { count: number; p50: number | null; p90: number | null; p99: number | null };
}

/**
 * Every figure of the stats endpoint in one statement (one round trip on every
 * driver), each part a JSON value computed by Postgres. Counts by status and
 * priority cover live items; items created per day count every item created then,
 * deleted since or not. `now` decides "today" (UTC) and the duration window.
 */
export async function readStats(db: Database, now: Date): Promise<Stats> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const today = sql`(${at} AT TIME ZONE 'UTC')::date`;
  const [row] = await executeRows<StatsRow>(
    db,
    sql`SELECT
      (SELECT json_object_agg(status, n) FROM (
        SELECT status, count(*)::int AS n FROM items WHERE deleted_at IS NULL GROUP BY status) s) AS by_status,
      (SELECT json_object_agg(priority, n) FROM (
        SELECT priority, count(*)::int AS n FROM items WHERE deleted_at IS NULL GROUP BY priority) p) AS by_priority,
      (SELECT json_agg(json_build_object('date', to_char(d.day, 'YYYY-MM-DD'), 'count', coalesce(c.n, 0)) ORDER BY d.day)
        FROM (SELECT ${today} - offs AS day FROM generate_series(0, ${sql.raw(String(CREATED_PER_DAY_DAYS - 1))}) AS offs) d
        LEFT JOIN (
          SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*)::int AS n FROM items
          WHERE created_at >= (${today} - ${sql.raw(String(CREATED_PER_DAY_DAYS - 1))})::timestamp AT TIME ZONE 'UTC'
          GROUP BY 1) c ON c.day = d.day) AS created_per_day,
      (SELECT json_object_agg(status, n) FROM (
        SELECT status, count(*)::int AS n FROM jobs GROUP BY status) j) AS by_state,
      (SELECT json_object_agg(type, n) FROM (
        SELECT type, count(*)::int AS n FROM jobs GROUP BY type) t) AS by_type,
      (SELECT json_build_object(
          'count', count(*)::int,
          'p50', percentile_cont(0.5) WITHIN GROUP (ORDER BY ms),
          'p90', percentile_cont(0.9) WITHIN GROUP (ORDER BY ms),
          'p99', percentile_cont(0.99) WITHIN GROUP (ORDER BY ms))
        FROM (
          SELECT extract(epoch FROM finished_at - started_at) * 1000 AS ms FROM jobs
          WHERE status = 'succeeded' AND started_at IS NOT NULL
            AND finished_at > ${at} - make_interval(days => ${sql.raw(String(DURATION_WINDOW_DAYS))})
            AND finished_at <= ${at}) r) AS durations`,
  );
  if (!row) throw new Error('stats query returned no row');
  const round = (ms: number | null) => (ms === null ? null : Math.round(ms * 1000) / 1000);
  return {
    items: {
      byStatus: zeroFilled(itemStatus.enumValues, row.by_status),
      byPriority: zeroFilled(itemPriority.enumValues, row.by_priority),
      createdPerDay: row.created_per_day,
    },
    jobs: {
      byState: zeroFilled(jobStatus.enumValues, row.by_state),
      byType: row.by_type ?? {},
      durationMs: {
        count: row.durations.count,
        p50: round(row.durations.p50),
        p90: round(row.durations.p90),
        p99: round(row.durations.p99),
      },
    },
  };
}

/** Every value of an enum as a key, 0 where no row has it. */
function zeroFilled<K extends string>(keys: readonly K[], counts: Record<string, number> | null): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, counts?.[key] ?? 0])) as Record<K, number>;
}
