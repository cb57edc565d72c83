import { createEffect, createResource, on, Show } from 'solid-js';
import { notify } from '../../components/notices.tsx';
import { Async } from '../../components/states.tsx';
import { usePageTitle } from '../../lib/page-title.ts';
import { usePolling } from '../../lib/poll.ts';
import { HealthReport } from './health-report.tsx';
import { loadHealth } from './load-health.ts';
import './health.css';

export default function HealthPage() {
  usePageTitle(() => 'Health');
  const [health, { refetch }] = createResource(loadHealth);
  usePolling(async () => {
    await refetch();
    return true;
  }, 10_000);
  const current = () =>
    !health.error && (health.state === 'ready' || health.state === 'refreshing') ? health.latest : undefined;
  // Say so when readiness changes while the page is open (the badge alone is silent).
  createEffect(
    on(
      () => current()?.ready,
      (ready, before) => {
        if (ready === undefined || before === undefined || ready === before) return;
        notify(ready ? 'The API is ready again.' : 'The API is not ready.', ready ? 'success' : 'error');
      },
    ),
  );

  return (
    <>
      <header class="page-header">
        <h1>Health</h1>
        <div class="actions">
          <span class="muted">Checked every 10 seconds</span>
          <button type="button" class="button" aria-busy={health.loading} onClick={() => void refetch()}>
            <Show when={health.loading} fallback="Check now">
              Checking…
            </Show>
          </button>
        </div>
      </header>
      <Async of={health} retry={refetch} loading="Checking the API…">
        {(value) => <HealthReport health={value()} />}
      </Async>
    </>
  );
}
