import { fireEvent, screen, waitFor } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { api, call } from '../../lib/api.ts';
import { renderPage } from '../../test/render.tsx';
import { signInAs } from '../../test/setup.ts';
import JobPage from './job-page.tsx';

describe('job page', () => {
  it("Should show a job's details and cancel it while it is queued", async () => {
    await signInAs('editor');
    const runAt = new Date(Date.now() + 86_400_000).toISOString();
    const job = await call(api.api.v1.jobs.$post({ json: { type: 'cleanup', payload: {}, runAt }, header: {} }));
    renderPage(JobPage, { url: `/jobs/${job.id}`, path: '/jobs/:id' });

    expect(await screen.findByRole('heading', { level: 1, name: 'Job cleanup' })).toBeInTheDocument();
    expect(screen.getByText(job.id)).toBeInTheDocument();
    expect(screen.getByText('Queued')).toBeInTheDocument();
    expect(screen.getByText('0 / 5', { exact: false })).toBeInTheDocument();
    // Queued by the editor: named, not an id.
    await waitFor(() =>
      expect(screen.getByText('Created by').nextElementSibling).toHaveTextContent(
        'Eddie Editor (editor@edgeplane.local)',
      ),
    );
    // Times to the second, and how long it ran (not yet: it is queued).
    expect(screen.getByText('Created').nextElementSibling?.textContent).toMatch(/\d:\d\d:\d\d/);
    expect(screen.getByText('Duration').nextElementSibling).toHaveTextContent('—');

    fireEvent.click(screen.getByRole('button', { name: /^Cancel cleanup job/ }));
    await waitFor(() => expect(screen.getByText('Cancelled')).toBeInTheDocument());
    expect(screen.queryByRole('button', { name: /^Cancel/ })).not.toBeInTheDocument();
    // The pressed button is gone: focus goes to the page's heading, not to the document.
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1 }));
  });

  it('Should say so when the job does not exist', async () => {
    await signInAs('viewer');
    renderPage(JobPage, { url: `/jobs/${crypto.randomUUID()}`, path: '/jobs/:id' });
    expect(await screen.findByRole('heading', { name: 'Job not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to the jobs' })).toHaveAttribute('href', '/jobs');
  });
});
