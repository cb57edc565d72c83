import { A } from '@solidjs/router';
import type { InferResponseType } from 'hono/client';
import { For, Show } from 'solid-js';
import { Badge } from '../../components/badge.tsx';
import { type Column, DataTable } from '../../components/data-table.tsx';
import { UserRef } from '../../components/user-ref.tsx';
import type { api } from '../../lib/api.ts';
import { formatDate, formatDateTime, formatRelative } from '../../lib/format.ts';
import { isOverdue } from './item-data.ts';

export type ItemPage = InferResponseType<typeof api.api.v1.items.$get, 200>;

type Item = ItemPage['data'][number];

/** The due date, flagged when it has passed and the item is still open. */
export function DueDate(props: { item: Pick<Item, 'dueAt' | 'status'>; now?: number }) {
  return (
    <Show when={props.item.dueAt} fallback="—">
      {(due) => (
        <span class="due" classList={{ overdue: isOverdue(props.item, props.now) }}>
          <time datetime={due()}>{formatDate(due())}</time>
          <Show when={isOverdue(props.item, props.now)}>
            {' '}
            <span class="badge status-overdue">Overdue</span>
          </Show>
        </span>
      )}
    </Show>
  );
}

const COLUMNS: Column<Item>[] = [
  { label: 'Title', cell: (item) => <A href={`/items/${item.id}`}>{item.title}</A> },
  { label: 'Status', cell: (item) => <Badge value={item.status} /> },
  { label: 'Priority', cell: (item) => <Badge kind="priority" value={item.priority} /> },
  { label: 'Owner', cell: (item) => <UserRef id={item.ownerId} layout="name" none="No owner" /> },
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
  { label: 'Due', cell: (item) => <DueDate item={item} /> },
  {
    label: 'Updated',
    cell: (item) => (
      <time class="updated" datetime={item.updatedAt} title={formatDateTime(item.updatedAt)}>
        {formatRelative(item.updatedAt)}
      </time>
    ),
  },
];

export function ItemsTable(props: { items: ItemPage['data']; busy: boolean }) {
  return <DataTable caption="Items" class="items-table" columns={COLUMNS} rows={props.items} busy={props.busy} />;
}
