import { A } from '@solidjs/router';
import type { InferResponseType } from 'hono/client';
import { For, Show } from 'solid-js';
import { Badge } from '../../components/badge.tsx';
import type { api } from '../../lib/api.ts';
import { formatDate, formatDateTime, formatRelative } from '../../lib/format.ts';

export type ItemPage = InferResponseType<typeof api.api.v1.items.$get, 200>;

export function ItemsTable(props: { items: ItemPage['data']; busy: boolean }) {
  return (
    <div class="table-wrap">
      <table class="responsive-table" aria-busy={props.busy}>
        <caption class="visually-hidden">Items</caption>
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Status</th>
            <th scope="col">Priority</th>
            <th scope="col">Tags</th>
            <th scope="col">Due</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.items}>
            {(item) => (
              <tr>
                <td data-label="Title">
                  <A href={`/items/${item.id}`}>{item.title}</A>
                </td>
                <td data-label="Status">
                  <Badge value={item.status} />
                </td>
                <td data-label="Priority">
                  <Badge value={item.priority} />
                </td>
                <td data-label="Tags">
                  <Show when={item.tags.length} fallback="—">
                    <ul class="tag-list">
                      <For each={item.tags}>{(tag) => <li>{tag}</li>}</For>
                    </ul>
                  </Show>
                </td>
                <td data-label="Due">
                  <Show when={item.dueAt} fallback="—">
                    {(due) => <time datetime={due()}>{formatDate(due())}</time>}
                  </Show>
                </td>
                <td data-label="Updated">
                  <time datetime={item.updatedAt} title={formatDateTime(item.updatedAt)}>
                    {formatRelative(item.updatedAt)}
                  </time>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
