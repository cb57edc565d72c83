import type { InferResponseType } from 'hono/client';
import { createResource, createSignal, Show } from 'solid-js';
import { notify } from '../../components/notices.tsx';
import { Async } from '../../components/states.tsx';
import { api, call } from '../../lib/api.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { usePolling } from '../../lib/poll.ts';
import { OverviewCharts } from './overview-charts.tsx';
import { StatCards } from './stat-cards.tsx';
import './overview.css';

export type Stats = InferResponseType<typeof api.api.v1.stats.$get, 200>;

function loadStats(): Promise<Stats> {
  return call(api.api.v1.stats.$get());
}

export default function Overview() {
  usePageTitle(() => 'Overview');
  const [stats, { refetch }] = createResource(loadStats);
  // Keeps "Updated … ago" current without asking the API again.
  const [now, setNow] = createSignal(Date.now());
  usePolling(() => {
    setNow(Date.now());
    return true;
  }, 15_000);
  // `latest` throws while errored and suspends before the first answer: read it only once there is one.
  const current = () =>
    !stats.error && (stats.state === 'ready' || stats.state === 'refreshing') ? stats.latest : undefined;

  return (
    <>
      <header class="page-header">
        <h1>Overview</h1>
        <div class="actions">
          <Show when={current()}>
            {(s) => (
              <span class="muted">
                Updated{' '}
                <time datetime={s().generatedAt} title={formatDateTime(s().generatedAt)}>
                  {formatRelative(s().generatedAt, now())}
                </time>
              </span>
            )}
          </Show>
          <button
            type="button"
            class="button"
            aria-busy={stats.loading}
            onClick={async () => {
              await refetch();
              setNow(Date.now());
              if (!stats.error) notify('Statistics refreshed.', 'info');
            }}
          >
            {stats.loading ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
      </header>
      <Async of={stats} retry={refetch} loading="Loading statistics…">
        {(s) => (
          <>
            <StatCards stats={s()} />
            <OverviewCharts stats={s()} />
          </>
        )}
      </Async>
    </>
  );
}
