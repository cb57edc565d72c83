import type { JSX } from 'solid-js';
import { formatNumber } from '../../lib/format.ts';
import type { Stats } from './overview-page.tsx';

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((total, n) => total + n, 0);
}

function Stat(props: { label: string; children: JSX.Element; detail?: string }) {
  return (
    <div class="card stat">
      <dt class="label">{props.label}</dt>
      <dd class="value">{props.children}</dd>
      {props.detail ? <dd class="muted">{props.detail}</dd> : null}
    </div>
  );
}

/** The headline figures; a description list, so each number is read with its name. */
export function StatCards(props: { stats: Stats }) {
  const items = () => props.stats.items;
  const jobs = () => props.stats.jobs;
  return (
    <dl class="grid stat-cards">
      <Stat label="Live items" detail="Not deleted, archived included">
        {formatNumber(sum(items().byStatus))}
      </Stat>
      <Stat label="Items done">{formatNumber(items().byStatus.done ?? 0)}</Stat>
      <Stat label="Jobs queued / running">
        {formatNumber(jobs().byState.queued ?? 0)} / {formatNumber(jobs().byState.running ?? 0)}
      </Stat>
      <Stat label="Jobs failed or dead" detail="Failed jobs are retried; dead ones are not">
        {formatNumber((jobs().byState.failed ?? 0) + (jobs().byState.dead ?? 0))}
      </Stat>
    </dl>
  );
}
