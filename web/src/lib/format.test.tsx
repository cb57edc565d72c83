import { describe, expect, it } from 'vitest';
import { countOf, formatDuration } from './format.ts';
import { durationOf } from './jobs.ts';

describe('format', () => {
  it('Should give durations in the units people read them in', () => {
    expect(formatDuration(950)).toBe('950 ms');
    expect(formatDuration(1_240)).toBe('1.2 s');
    expect(formatDuration(192_000)).toBe('3 min 12 s');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
    expect(formatDuration(undefined)).toBe('—');
  });

  it('Should put the noun in the number of its count', () => {
    expect(countOf(1, 'succeeded job')).toBe('1 succeeded job');
    expect(countOf(3, 'succeeded job')).toBe('3 succeeded jobs');
    expect(countOf(0, 'row')).toBe('0 rows');
  });

  it("Should time a job's last run, or its run so far while it runs", () => {
    const startedAt = '2030-01-01T10:00:00.000Z';
    expect(durationOf({ startedAt, finishedAt: '2030-01-01T10:00:02.500Z', status: 'succeeded' })).toBe(2_500);
    expect(durationOf({ startedAt, finishedAt: null, status: 'running' }, Date.parse('2030-01-01T10:01:00Z'))).toBe(
      60_000,
    );
    expect(durationOf({ startedAt: null, finishedAt: null, status: 'queued' })).toBeUndefined();
  });
});
