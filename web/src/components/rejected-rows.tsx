import { Show } from 'solid-js';
import type { RowError } from '../../../jobs/lib/import-file.ts';
import type { ImportResult } from '../../../jobs/types/process-data.ts';
import { countOf, formatNumber } from '../lib/format.ts';
import { type Column, DataTable } from './data-table.tsx';
import './rejected-rows.css';

type Problem = RowError & { line: number };

const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  description: 'Description',
  status: 'Status',
  priority: 'Priority',
  tags: 'Tags',
  ownerId: 'Owner id',
  dueAt: 'Due date',
  '(row)': 'Whole row',
  '(root)': 'Whole item',
};

/** `tags.1` → "Tags, tag 2"; a column the file named → its label. */
export function fieldLabel(field: string): string {
  const [name = field, index] = field.split('.');
  const label = FIELD_LABELS[name] ?? name;
  return index !== undefined && /^\d+$/.test(index) ? `${label}, tag ${Number(index) + 1}` : label;
}

const COLUMNS: Column<Problem>[] = [
  { label: 'Row', cell: (p) => formatNumber(p.line) },
  {
    label: 'Field',
    cell: (p) => (
      <span>
        {fieldLabel(p.field)}
        <Show when={!p.field.startsWith('(')}>
          {' '}
          <code class="muted">{p.field}</code>
        </Show>
      </span>
    ),
  },
  {
    label: 'Value',
    cell: (p) => (
      <Show when={p.value !== undefined} fallback={<span class="muted">—</span>}>
        <Show when={p.value !== ''} fallback={<span class="muted">(empty)</span>}>
          <code class="rejected-value">{p.value}</code>
        </Show>
      </Show>
    ),
  },
  { label: 'Problem', cell: (p) => <span>{p.message}</span> },
];

/**
 * The rows an import rejected, one line per problem: the row, the field, what it held and
 * why that will not do. Shared by the import page and the job's page; the job keeps only
 * the first rejected rows, `count` says how many there were in all.
 */
export function RejectedRows(props: { rows: ImportResult['rejected']; count: number }) {
  const problems = () => props.rows.flatMap((row) => row.errors.map((error) => ({ ...error, line: row.line })));
  return (
    <>
      <Show when={props.count > props.rows.length}>
        <p class="muted">The first {countOf(props.rows.length, 'rejected row')} are listed.</p>
      </Show>
      <DataTable caption="Rejected rows" class="rejected-rows" columns={COLUMNS} rows={problems()} />
      <p class="muted hint">
        Rows are counted as in the file: in a CSV the header is row 1, in JSON the first item is row 1.
      </p>
    </>
  );
}
