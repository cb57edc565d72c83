import { screen, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { api, call } from '../../lib/api.ts';
import { formatNumber } from '../../lib/format.ts';
import { renderPage } from '../../test/render.tsx';
import { signInAs } from '../../test/setup.ts';
import Overview from './overview-page.tsx';

/** The value shown under a stat card's label. */
function stat(label: string): string | null | undefined {
  return screen.getByText(label, { selector: 'dt' }).nextElementSibling?.textContent;
}

describe('overview page', () => {
  it('Should show the stat cards and charts from the real statistics', async () => {
    await signInAs('viewer');
    renderPage(Overview);
    await screen.findByText('Live items', { selector: 'dt' });
    // Stats are cached for a while on the server, so this read sees the figures the page got.
    const stats = await call(api.api.v1.stats.$get());
    const live = Object.values(stats.items.byStatus).reduce((a, b) => a + b, 0);
    expect(live).toBeGreaterThan(0);
    expect(stat('Live items')).toBe(formatNumber(live));
    expect(stat('Items done')).toBe(formatNumber(stats.items.byStatus.done ?? 0));
    expect(stat('Jobs queued / running')).toBe(
      `${formatNumber(stats.jobs.byState.queued ?? 0)} / ${formatNumber(stats.jobs.byState.running ?? 0)}`,
    );
    expect(stat('Jobs failed or dead')).toBe(
      formatNumber((stats.jobs.byState.failed ?? 0) + (stats.jobs.byState.dead ?? 0)),
    );

    const byStatus = screen.getByRole('list', { name: 'Items by status' });
    expect(within(byStatus).getByText('Pending').nextElementSibling?.nextElementSibling).toHaveTextContent(
      formatNumber(stats.items.byStatus.pending ?? 0),
    );
    expect(screen.getByRole('list', { name: 'Jobs by type' })).toHaveTextContent('generate-report');
    expect(screen.getByRole('figure', { name: 'Items created per day' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: 'Job durations' })).toBeInTheDocument();
    // The durations have one place: their panel, not a stat card besides.
    expect(screen.queryByText(/p50/, { selector: '.stat-cards dt' })).toBeNull();
    const count = stats.jobs.durationMs.count;
    if (count) {
      expect(screen.getByText(/^Over \d+ succeeded job/)).toHaveTextContent(
        `Over ${formatNumber(count)} succeeded ${count === 1 ? 'job' : 'jobs'} in the last`,
      );
    }
    // Job types are categories: their bars use none of the state colours.
    const typeBars = screen.getByRole('list', { name: 'Jobs by type' }).querySelectorAll<HTMLElement>('.bar-fill');
    for (const bar of typeBars) expect(bar.style.background).toMatch(/^var\(--category-\d\)$/);
    expect(screen.getByText(/^Updated/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeEnabled();
  });
});
