import { fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { Notices } from '../../components/notices.tsx';
import { api, call } from '../../lib/api.ts';
import type { Job } from '../../lib/jobs.ts';
import { renderPage } from '../../test/render.tsx';
import { signInAs } from '../../test/setup.ts';
import { shortId } from './job-types.ts';
import JobsPage from './jobs-page.tsx';

/** A cleanup job due tomorrow: it stays queued for the whole test. */
function queueLaterJob(): Promise<Job> {
  const runAt = new Date(Date.now() + 86_400_000).toISOString();
  return call(api.api.v1.jobs.$post({ json: { type: 'cleanup', payload: {}, runAt }, header: {} }));
}

async function findRow(job: Job): Promise<HTMLElement> {
  const id = await screen.findByText(shortId(job.id), { selector: 'code' });
  return id.closest('tr') as HTMLElement;
}

describe('jobs page', () => {
  it('Should list a queued job and cancel it', async () => {
    await signInAs('editor');
    const job = await queueLaterJob();
    renderPage(JobsPage, { url: '/jobs?type=cleanup&status=queued' });
    const row = await findRow(job);
    expect(within(row).getByRole('link', { name: 'cleanup' })).toHaveAttribute('href', `/jobs/${job.id}`);
    expect(within(row).getByText('Queued')).toBeInTheDocument();
    expect(within(row).getByText('0 / 5', { exact: false })).toBeInTheDocument();
    expect(within(row).queryByRole('button', { name: /^Retry/ })).not.toBeInTheDocument();

    fireEvent.click(within(row).getByRole('button', { name: `Cancel cleanup job ${shortId(job.id)}` }));
    await waitFor(() => expect(within(row).getByText('Cancelled')).toBeInTheDocument());
    expect(within(row).queryByRole('button', { name: /^Cancel/ })).not.toBeInTheDocument();
    const stored = await call(api.api.v1.jobs[':id'].$get({ param: { id: job.id } }));
    expect(stored.status).toBe('cancelled');
  });

  it('Should say why when the job moved on before Cancel was pressed, and show its state', async () => {
    await signInAs('editor');
    const job = await queueLaterJob();
    render(() => <Notices />);
    renderPage(JobsPage, { url: '/jobs?type=cleanup&status=queued' });
    const row = await findRow(job);
    await call(api.api.v1.jobs[':id'].cancel.$post({ param: { id: job.id } }));
    fireEvent.click(within(row).getByRole('button', { name: /^Cancel cleanup job/ }));
    expect(
      await screen.findByText(`Job ${job.id} is cancelled; only queued jobs can be cancelled.`),
    ).toBeInTheDocument();
    await waitFor(() => expect(within(row).getByText('Cancelled')).toBeInTheDocument());
  });

  it('Should show a viewer the jobs without Retry or Cancel, and no report form', async () => {
    await signInAs('editor');
    const job = await queueLaterJob();
    await signInAs('viewer');
    renderPage(JobsPage, { url: '/jobs?type=cleanup' });
    const row = await findRow(job);
    expect(within(row).getByText('Queued')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^(Cancel|Retry)/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Generate report' })).not.toBeInTheDocument();
  });

  it('Should generate a report and offer its download once the job succeeds', async () => {
    await signInAs('editor');
    renderPage(JobsPage, { url: '/jobs?type=generate-report' });
    fireEvent.change(await screen.findByLabelText('Format'), { target: { value: 'json' } });
    fireEvent.change(screen.getByLabelText('Item status'), { target: { value: 'done' } });
    fireEvent.click(screen.getByRole('button', { name: 'Generate report' }));

    const link = await screen.findByRole('link', { name: 'Download report' }, { timeout: 15_000 });
    const id = (link.getAttribute('href') ?? '').split('/').at(-1) ?? '';
    expect(link).toHaveAttribute('href', expect.stringMatching(/\/api\/v1\/reports\/[0-9a-f-]{36}$/));
    expect(link).toHaveAttribute('download');
    const job = await call(api.api.v1.jobs[':id'].$get({ param: { id } }));
    expect(job).toMatchObject({ type: 'generate-report', status: 'succeeded' });
    expect(job.payload).toEqual({ format: 'json', filter: { status: ['done'] } });

    // The list follows too: the job's row offers the same file.
    const row = await findRow(job);
    await waitFor(() => expect(within(row).getByText('Succeeded')).toBeInTheDocument(), { timeout: 5_000 });
    expect(within(row).getByRole('link', { name: `Download report ${shortId(id)}` })).toHaveAttribute(
      'href',
      link.getAttribute('href'),
    );
  });

  it("Should show each job's duration and a labelled Actions column, empty where there is nothing to do", async () => {
    await signInAs('editor');
    const job = await queueLaterJob();
    await signInAs('viewer');
    renderPage(JobsPage, { url: '/jobs?type=cleanup&status=queued' });
    const row = await findRow(job);
    expect(screen.getByRole('columnheader', { name: 'Duration' })).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: 'Actions' })).toBeVisible();
    const cells = within(row).getAllByRole('cell');
    expect(cells.find((cell) => cell.dataset.label === 'Duration')).toHaveTextContent('—');
    // A viewer may not cancel: the cell is empty (and on phones its line is left out).
    expect(cells.find((cell) => cell.dataset.label === 'Actions')?.childNodes).toHaveLength(0);
  });
});
