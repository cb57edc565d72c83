import { screen, waitFor } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Job } from '../../lib/jobs.ts';
import { liveState, startLive, stopLive } from '../../lib/live.ts';
import { changeEvent, installFakeEventSource } from '../../test/fake-event-source.ts';
import { renderPage } from '../../test/render.tsx';
import { ImportProgress } from './import-result.tsx';

const id = crypto.randomUUID();
const running = {
  id,
  type: 'process-data',
  status: 'running',
  attempts: 1,
  maxAttempts: 3,
  payload: {},
  result: { checkpoint: 0, total: 1000, inserted: 0, rejectedCount: 0 },
  lastError: null,
  runAt: new Date().toISOString(),
  createdAt: new Date().toISOString(),
  startedAt: new Date().toISOString(),
  finishedAt: null,
  createdBy: null,
  requestId: null,
} as unknown as Job;

afterEach(() => {
  stopLive();
  vi.unstubAllGlobals();
});

describe('import progress', () => {
  it("Should move the rows read on with each of the job's progress events, and ignore other jobs'", async () => {
    const Fake = installFakeEventSource();
    startLive();
    Fake.latest.emit('ready', {}, '1');
    expect(liveState()).toBe('live');
    renderPage(() => <ImportProgress job={running} onAgain={() => {}} />);
    expect(await screen.findByText('0 of 1,000')).toBeInTheDocument();
    const progress = (jobId: string, checkpoint: number, eventId: string) =>
      Fake.latest.emit(
        'job.progress',
        changeEvent('job.progress', jobId, {
          id: jobId,
          status: 'running',
          progress: { checkpoint, total: 1000, inserted: checkpoint, rejectedCount: 0 },
        }),
        eventId,
      );
    progress(id, 400, '2');
    await waitFor(() => expect(screen.getByText('400 of 1,000')).toBeInTheDocument());
    progress(crypto.randomUUID(), 900, '3');
    progress(id, 700, '4');
    await waitFor(() => expect(screen.getByText('700 of 1,000')).toBeInTheDocument());
    expect(screen.queryByText('900 of 1,000')).toBeNull();
  });
});
