import { A } from '@solidjs/router';
import type { InferResponseType } from 'hono/client';
import { createResource, For, type JSX, Show } from 'solid-js';
import { Actor } from '../../components/actor.tsx';
import { Async, Empty } from '../../components/states.tsx';
import { UserRef } from '../../components/user-ref.tsx';
import { api, call } from '../../lib/api.ts';
import { formatDate, formatDateTime, formatRelative, humanize } from '../../lib/format.ts';

type Entry = InferResponseType<typeof api.api.v1.audit.$get, 200>['data'][number];
type Snapshot = Record<string, unknown>;

const HISTORY_SIZE = 50;
const LABELS: Record<string, string> = {
  title: 'Title',
  description: 'Description',
  status: 'Status',
  priority: 'Priority',
  tags: 'Tags',
  ownerId: 'Owner',
  dueAt: 'Due date',
};
const VERBS: Record<string, string> = {
  'item.created': 'Created',
  'item.updated': 'Changed',
  'item.deleted': 'Deleted',
};

const snapshot = (value: unknown): Snapshot | undefined =>
  value && typeof value === 'object' ? (value as Snapshot) : undefined;

/** The fields people edit that differ between two snapshots (versions and timestamps left out). */
export function changedFields(before: unknown, after: unknown): string[] {
  const a = snapshot(before);
  const b = snapshot(after);
  if (!a || !b) return [];
  return Object.keys(LABELS).filter((key) => JSON.stringify(a[key] ?? null) !== JSON.stringify(b[key] ?? null));
}

function Value(props: { field: string; value: unknown }): JSX.Element {
  const v = props.value;
  if (v === null || v === undefined || (Array.isArray(v) && !v.length)) return <span class="muted">none</span>;
  if (props.field === 'ownerId' && typeof v === 'string') return <UserRef id={v} layout="name" />;
  if (props.field === 'dueAt' && typeof v === 'string') return <>{formatDate(v)}</>;
  if (props.field === 'status' || props.field === 'priority') return <>{humanize(String(v))}</>;
  if (Array.isArray(v)) return <>{v.join(', ')}</>;
  const text = String(v);
  return <>“{text.length > 80 ? `${text.slice(0, 80)}…` : text}”</>;
}

function HistoryEntry(props: { entry: Entry }) {
  const fields = () => changedFields(props.entry.before, props.entry.after);
  return (
    <li>
      <p class="history-head">
        <strong>{VERBS[props.entry.action] ?? props.entry.action}</strong> by{' '}
        <Actor type={props.entry.actorType} id={props.entry.actorId} layout="name" />{' '}
        <time class="muted" datetime={props.entry.createdAt} title={formatDateTime(props.entry.createdAt)}>
          {formatRelative(props.entry.createdAt)}
        </time>
      </p>
      <Show when={fields().length}>
        <ul class="history-changes">
          <For each={fields()}>
            {(field) => (
              <li>
                {LABELS[field]}: <Value field={field} value={snapshot(props.entry.before)?.[field]} /> →{' '}
                <Value field={field} value={snapshot(props.entry.after)?.[field]} />
              </li>
            )}
          </For>
        </ul>
      </Show>
    </li>
  );
}

/**
 * The item's audit trail, newest first: who created it and what each change changed.
 * `version` refetches it after a save on this page.
 */
export function ItemHistory(props: { id: string; version: number }) {
  const [entries, { refetch }] = createResource(
    () => ({ id: props.id, version: props.version }),
    ({ id }) =>
      call(api.api.v1.audit.$get({ query: { entityType: 'item', entityId: id, limit: String(HISTORY_SIZE) } })),
  );
  const auditLink = () => `/audit?entityType=item&entityId=${props.id}`;
  return (
    <section class="card item-history" aria-labelledby="item-history">
      <h2 id="item-history">History</h2>
      <Async of={entries} retry={refetch} loading="Loading the history…">
        {(page) => (
          <Show when={page().data.length} fallback={<Empty title="No recorded changes" />}>
            <ol class="history">
              <For each={page().data}>{(entry) => <HistoryEntry entry={entry} />}</For>
            </ol>
            <Show when={page().nextCursor}>
              <p>
                <A href={auditLink()}>Older changes are in the audit log</A>
              </p>
            </Show>
          </Show>
        )}
      </Async>
    </section>
  );
}
