import { render, screen, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { BarList, ColumnChart, labelledIndexes } from './charts.tsx';

describe('charts', () => {
  it('Should list each bar with its label and value, scaled to the largest', () => {
    render(() => (
      <BarList
        label="Items by status"
        data={[
          { label: 'Pending', value: 6 },
          { label: 'Done', value: 12 },
          { label: 'Archived', value: 0 },
        ]}
      />
    ));
    const rows = within(screen.getByRole('list', { name: 'Items by status' })).getAllByRole('listitem');
    expect(rows.map((row) => row.textContent)).toEqual(['Pending6', 'Done12', 'Archived0']);
    const widths = rows.map((row) => (row.querySelector('.bar-fill') as HTMLElement).style.width);
    expect(widths).toEqual(['50%', '100%', '0%']);
  });

  it('Should summarize a series for screen readers and give its figures as a table', () => {
    const data = Array.from({ length: 30 }, (_, i) => ({ label: `Day ${i + 1}`, value: i === 9 ? 7 : 1 }));
    render(() => <ColumnChart label="Items created per day" data={data} />);
    expect(screen.getByRole('figure', { name: 'Items created per day' })).toBeInTheDocument();
    expect(screen.getByRole('img')).toHaveAccessibleName(
      'Items created per day: 30 values from Day 1 to Day 30, total 36, highest 7 (Day 10)',
    );
    const table = screen.getByRole('table', { name: 'Items created per day' });
    expect(within(table).getByRole('rowheader', { name: 'Day 10' }).nextElementSibling).toHaveTextContent('7');
    expect(within(table).getAllByRole('row')).toHaveLength(31);
    expect(document.querySelectorAll('rect.column')).toHaveLength(30);
    // The y maximum is shown, and at most six day labels, the newest among them.
    expect(document.querySelector('.column-max')).toHaveTextContent('7');
    const labels = [...document.querySelectorAll('.column-labels span')].map((el) => el.textContent);
    expect(labels.length).toBeLessThanOrEqual(6);
    expect(labels.at(-1)).toBe('Day 30');
  });

  it('Should thin labels evenly from the newest back', () => {
    expect([...labelledIndexes(30, 6)]).toEqual([
      [29, 0],
      [24, 1],
      [19, 2],
      [14, 3],
      [9, 4],
      [4, 5],
    ]);
    expect([...labelledIndexes(3, 6).keys()].sort()).toEqual([0, 1, 2]);
    expect(labelledIndexes(0, 6).size).toBe(0);
  });
});
