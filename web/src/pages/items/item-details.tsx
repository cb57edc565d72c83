import { Show } from 'solid-js';
import { Badge } from '../../components/badge.tsx';
import { UserRef } from '../../components/user-ref.tsx';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import type { Item } from './item-data.ts';
import { DueDate } from './items-table.tsx';

/** Who owns the item, when it was created and last changed, and its version (what a save is checked against). */
export function ItemMeta(props: { item: Item }) {
  return (
    <p class="muted item-meta">
      Owner <UserRef id={props.item.ownerId} none="nobody" />
      {' · '}
      Created <time datetime={props.item.createdAt}>{formatDateTime(props.item.createdAt)}</time>
      {' · '}
      Updated{' '}
      <time datetime={props.item.updatedAt} title={formatDateTime(props.item.updatedAt)}>
        {formatRelative(props.item.updatedAt)}
      </time>
      {' · '}
      Version {props.item.version}
    </p>
  );
}

/** The item for readers who may not change it: text only, no controls. */
export function ItemDetails(props: { item: Item }) {
  return (
    <section class="card" aria-label="Details">
      <dl class="item-details">
        <dt>Status</dt>
        <dd>
          <Badge value={props.item.status} />
        </dd>
        <dt>Priority</dt>
        <dd>
          <Badge kind="priority" value={props.item.priority} />
        </dd>
        <dt>Tags</dt>
        <dd>{props.item.tags.length ? props.item.tags.join(', ') : '—'}</dd>
        <dt>Due date</dt>
        <dd>
          <DueDate item={props.item} />
        </dd>
        <dt>Description</dt>
        <dd class="item-description">
          <Show when={props.item.description} fallback="—">
            {props.item.description}
          </Show>
        </dd>
      </dl>
    </section>
  );
}
