import { A } from '@solidjs/router';
import type { InferResponseType } from 'hono/client';
import { For, Show } from 'solid-js';
import { Badge } from '../../components/badge.tsx';
import { type Column, DataTable } from '../../components/data-table.tsx';
import type { api } from '../../lib/api.ts';
import { formatDate, formatDateTime, formatRelative } from '../../lib/format.ts';

export type ItemPage = InferResponseType<typeof api.api.v1.items.$get, 200>;

type Item = ItemPage['data'][number];

const COLUMNS: Column<Item>[] = [
  { label: 'Title', cell: (item) => <A href={`/items/${item.id}`}>{item.title}</A> },
  { label: 'Status', cell: (item) => <Badge value={item.status} /> },
  { label: 'Priority', cell: (item) => <Badge value={item.priority} /> },
  {
    label: 'Tags',
    cell: (item) => (
      <Show when={item.tags.length} fallback="—">
        <ul class="tag-list">
          <For each={item.tags}>{(tag) => <li>{tag}</li>}</For>
        </ul>
      </Show>
    ),
  },
  {
    label: 'Due',
    cell: (item) => (
      <Show when={item.dueAt} fallback="—">
        {(due) => <time datetime={due()}>{formatDate(due())}</time>}
      </Show>
    ),
  },
  {
    label: 'Updated',
    cell: (item) => (
      <time datetime={item.updatedAt} title={formatDateTime(item.updatedAt)}>
        {formatRelative(item.updatedAt)}
      </time>
    ),
  },
];

export function ItemsTable(props: { items: ItemPage['data']; busy: boolean }) {
  return <DataTable caption="Items" columns={COLUMNS} rows={props.items} busy={props.busy} />;
}
