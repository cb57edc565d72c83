import { For, Show } from 'solid-js';
import type { ImportResult } from '../../../jobs/types/process-data.ts';
import { formatNumber } from '../lib/format.ts';
import { type Column, DataTable } from './data-table.tsx';
import './rejected-rows.css';

type Rejected = ImportResult['rejected'][number];

const COLUMNS: Column<Rejected>[] = [
  { label: 'Line', cell: (row) => row.line },
  {
    label: 'Problems',
    cell: (row) => (
      <ul class="row-errors">
        <For each={row.errors}>
          {(e) => (
            <li>
              <code>{e.field}</code> {e.message}
            </li>
          )}
        </For>
      </ul>
    ),
  },
];

/**
 * The rows an import rejected and why, on the import page and on its job's page. The job
 * keeps only the first ones; `count` says how many there were in all.
 */
export function RejectedRows(props: { rows: Rejected[]; count: number }) {
  return (
    <>
      <Show when={props.count > props.rows.length}>
        <p class="muted">The first {formatNumber(props.rows.length)} rejected rows are listed.</p>
      </Show>
      <DataTable caption="Rejected rows" columns={COLUMNS} rows={props.rows} />
    </>
  );
}
