import { For, type JSX } from 'solid-js';
import './data-table.css';

/** A column's header. Its label also names each of its cells in the phone layout (`data-label`). */
export interface Heading {
  label: string;
  /** Read to screen readers only, e.g. over buttons that already say what they do. */
  hidden?: boolean;
}

/** A column that renders its own cells. */
export interface Column<T> extends Heading {
  cell: (row: T) => JSX.Element;
  /** The cell names its row (`th scope="row"`), so a row reads as e.g. "Database, Up, 3 ms". */
  rowHeader?: boolean;
}

interface TableProps<T> {
  rows: readonly T[];
  /** The table's accessible name; screen readers only, as the page's headings say it to everyone else. */
  caption?: string;
  /** More classes besides `responsive-table`, for a page's own styles. */
  class?: string;
  busy?: boolean;
}

/**
 * Either every column renders its cells, or `row` renders each whole `<tr>`: rows whose cells
 * share state (a user being edited, a webhook's buttons) are components of their own, and give
 * each `<td>` its column's label as `data-label` themselves.
 */
export type DataTableProps<T> = TableProps<T> &
  (
    | { columns: readonly Column<T>[]; row?: undefined }
    | { columns: readonly (Heading | string)[]; row: (row: T) => JSX.Element }
  );

const heading = (column: Heading | string): Heading => (typeof column === 'string' ? { label: column } : column);

/**
 * A table that becomes a list of labelled cards on phones (`responsive-table`), in a box that
 * scrolls sideways on wider screens when the columns do not fit.
 */
export function DataTable<T>(props: DataTableProps<T>) {
  const cells = (row: T) => (
    <tr>
      <For each={props.columns as readonly Column<T>[]}>
        {(column) =>
          column.rowHeader ? (
            <th scope="row" data-label={column.label}>
              {column.cell(row)}
            </th>
          ) : (
            <td data-label={column.label}>{column.cell(row)}</td>
          )
        }
      </For>
    </tr>
  );
  return (
    <div class="table-wrap">
      <table class={props.class ? `responsive-table ${props.class}` : 'responsive-table'} aria-busy={props.busy}>
        {props.caption && <caption class="visually-hidden">{props.caption}</caption>}
        <thead>
          <tr>
            <For each={props.columns.map(heading)}>
              {(column) => (
                <th scope="col">
                  {column.hidden ? <span class="visually-hidden">{column.label}</span> : column.label}
                </th>
              )}
            </For>
          </tr>
        </thead>
        <tbody>
          <For each={props.rows}>{(row) => (props.row ? props.row(row) : cells(row))}</For>
        </tbody>
      </table>
    </div>
  );
}
