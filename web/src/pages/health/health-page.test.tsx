import { screen, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { renderPage } from '../../test/render.tsx';
import { signInAs } from '../../test/setup.ts';
import HealthPage from './health-page.tsx';
import { formatUptime } from './health-report.tsx';

describe('health page', () => {
  it('Should show the API ready, with its version and the database up', async () => {
    await signInAs('viewer');
    renderPage(HealthPage, { url: '/health' });
    expect(await screen.findByText('Ready')).toBeInTheDocument();
    expect(screen.getByText('Version').nextElementSibling?.textContent).toMatch(/\S/);
    const database = screen.getByRole('rowheader', { name: 'Database' }).closest('tr') as HTMLElement;
    expect(within(database).getByText('Up')).toBeInTheDocument();
    expect(within(database).getByText(/\d+ ms/)).toBeInTheDocument();
    expect(screen.getByRole('rowheader', { name: 'Cache' })).toBeInTheDocument();
    expect(screen.getByText('Queued').nextElementSibling?.textContent).toMatch(/^\d/);
    expect(screen.getByRole('button', { name: 'Check now' })).toBeInTheDocument();
  });

  it('Should give uptimes in their two largest units', () => {
    expect(formatUptime(42)).toBe('42 seconds');
    expect(formatUptime(3_600)).toBe('1 hour');
    expect(formatUptime(93_784)).toBe('1 day 2 hours');
    expect(formatUptime(0)).toBe('0 seconds');
  });
});
