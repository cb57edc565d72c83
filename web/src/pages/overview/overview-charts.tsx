import { Show } from 'solid-js';
import { ITEM_PRIORITIES, ITEM_STATUSES, JOB_STATUSES } from '../../../../vocabulary/enums.ts';
import { BarList, ColumnChart, type Datum } from '../../components/charts.tsx';
import { countOf, formatDuration, humanize } from '../../lib/format.ts';
import type { Stats } from './overview-page.tsx';

// The API's days are UTC dates: label them as such, whatever the viewer's zone.
const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/*
 * Colours by meaning, as the badges use them, so a colour says the same thing everywhere: blue under way,
 * green done, amber needs a look (a failed job waiting for its retry), red trouble, greys waiting or put away.
 * Priorities take their own scale. Job types are plain categories (charts.tsx's default colours).
 */
const COLOURS: Record<string, string> = {
  pending: 'chart-6',
  in_progress: 'chart-1',
  done: 'chart-2',
  archived: 'chart-7',
  low: 'chart-7',
  medium: 'chart-6',
  high: 'priority-high',
  urgent: 'priority-urgent',
  queued: 'chart-6',
  running: 'chart-1',
  succeeded: 'chart-2',
  failed: 'chart-3',
  dead: 'chart-4',
  cancelled: 'chart-7',
};

/** Bars in the vocabulary's order; job types keep their own names (the jobs page uses them too). */
function toData(counts: Record<string, number>, order?: readonly string[]): Datum[] {
  const keys = order ?? Object.keys(counts);
  return keys.map((key) => ({ label: order ? humanize(key) : key, value: counts[key] ?? 0, colour: COLOURS[key] }));
}

export function OverviewCharts(props: { stats: Stats }) {
  const items = () => props.stats.items;
  const jobs = () => props.stats.jobs;
  const durations = () => jobs().durationMs;
  const perDay = () =>
    items().createdPerDay.map((d) => ({ label: dayLabel.format(new Date(`${d.date}T00:00:00Z`)), value: d.count }));
  return (
    <div class="grid overview-charts">
      <section class="card chart-card wide" aria-labelledby="chart-created">
        <h2 id="chart-created">Items created per day</h2>
        <ColumnChart label="Items created per day" data={perDay()} />
      </section>
      <section class="card chart-card" aria-labelledby="chart-status">
        <h2 id="chart-status">Items by status</h2>
        <BarList label="Items by status" data={toData(items().byStatus, ITEM_STATUSES)} />
      </section>
      <section class="card chart-card" aria-labelledby="chart-priority">
        <h2 id="chart-priority">Items by priority</h2>
        <BarList label="Items by priority" data={toData(items().byPriority, ITEM_PRIORITIES)} />
      </section>
      <section class="card chart-card" aria-labelledby="chart-jobs-state">
        <h2 id="chart-jobs-state">Jobs by state</h2>
        <BarList label="Jobs by state" data={toData(jobs().byState, JOB_STATUSES)} />
      </section>
      <section class="card chart-card" aria-labelledby="chart-jobs-type">
        <h2 id="chart-jobs-type">Jobs by type</h2>
        <BarList label="Jobs by type" data={toData(jobs().byType)} />
      </section>
      <section class="card chart-card durations-card" aria-labelledby="chart-durations">
        <h2 id="chart-durations">Job durations</h2>
        <Show
          when={durations().count > 0}
          fallback={<p class="muted">No job succeeded in the last {countOf(durations().windowDays, 'day')}.</p>}
        >
          <dl class="durations">
            <div>
              <dt>p50</dt>
              <dd>{formatDuration(durations().p50)}</dd>
            </div>
            <div>
              <dt>p90</dt>
              <dd>{formatDuration(durations().p90)}</dd>
            </div>
            <div>
              <dt>p99</dt>
              <dd>{formatDuration(durations().p99)}</dd>
            </div>
          </dl>
          <p class="muted">
            Over {countOf(durations().count, 'succeeded job')} in the last {countOf(durations().windowDays, 'day')}.
          </p>
        </Show>
      </section>
    </div>
  );
}
