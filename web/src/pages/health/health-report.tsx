import { Show } from 'solid-js';
import { Badge } from '../../components/badge.tsx';
import { type Column, DataTable } from '../../components/data-table.tsx';
import { formatDuration, formatNumber, humanize } from '../../lib/format.ts';
import type { Health } from './load-health.ts';

/** 93 784 s → "1 day 2 hours"; the two largest units are enough for an uptime. */
export function formatUptime(seconds: number): string {
  const units: [string, number][] = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
    ['second', 1],
  ];
  const parts: string[] = [];
  let rest = Math.max(0, Math.floor(seconds));
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n && parts.length < 2) parts.push(`${n} ${unit}${n === 1 ? '' : 's'}`);
    else if (parts.length) break;
  }
  return parts.join(' ') || '0 seconds';
}

type Check = [name: string, check: Health['checks'][string]];

const CHECK_COLUMNS: Column<Check>[] = [
  { label: 'Dependency', rowHeader: true, cell: ([name]) => humanize(name) },
  { label: 'Status', cell: ([, check]) => <Badge value={check.status} /> },
  { label: 'Latency', cell: ([, check]) => formatDuration(check.latencyMs) },
  {
    label: 'Details',
    cell: ([, check]) => [check.kind && `store: ${check.kind}`, check.error].filter(Boolean).join(' · ') || '—',
  },
];

export function HealthReport(props: { health: Health }) {
  const h = () => props.health;
  const checks = () => Object.entries(h().checks);
  return (
    <div class="grid health-grid">
      <section class="card" aria-labelledby="health-overall">
        <h2 id="health-overall">Overall</h2>
        <p>
          <span class={`badge ${h().ready ? 'status-up' : 'status-down'}`}>{h().ready ? 'Ready' : 'Not ready'}</span>
          <Show when={h().detail}>{(detail) => <span> {detail()}</span>}</Show>
        </p>
        <dl class="health-facts">
          <dt>Version</dt>
          <dd>{h().version ?? '—'}</dd>
          <dt>Uptime</dt>
          <dd>{h().uptimeSeconds === undefined ? '—' : formatUptime(h().uptimeSeconds ?? 0)}</dd>
          <dt>Checked at</dt>
          <dd>{new Date(h().checkedAt).toLocaleTimeString()}</dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="health-queue">
        <h2 id="health-queue">Job queue</h2>
        <Show
          when={h().queue}
          fallback={<p class="muted">Not reported: the API is not ready, or the queue could not be read in time.</p>}
        >
          {(queue) => (
            <dl class="health-facts">
              <dt>Delivery</dt>
              <dd>{humanize(queue().delivery)}</dd>
              <dt>Queued</dt>
              <dd>{formatNumber(queue().queued)}</dd>
              <dt>Running</dt>
              <dd>{formatNumber(queue().running)}</dd>
              <dt>Oldest due job waiting</dt>
              <dd>
                {queue().oldestQueuedAgeSeconds === null ? '—' : formatUptime(queue().oldestQueuedAgeSeconds ?? 0)}
              </dd>
            </dl>
          )}
        </Show>
      </section>
      <section class="card wide-card" aria-labelledby="health-deps">
        <h2 id="health-deps">Dependencies</h2>
        <DataTable columns={CHECK_COLUMNS} rows={checks()} />
      </section>
    </div>
  );
}
