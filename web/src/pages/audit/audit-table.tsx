import { A } from '@solidjs/router';
import type { InferResponseType } from 'hono/client';
import { Show } from 'solid-js';
import { Actor } from '../../components/actor.tsx';
import { type Column, DataTable } from '../../components/data-table.tsx';
import { UserRef } from '../../components/user-ref.tsx';
import type { api } from '../../lib/api.ts';
import { formatDateTime, formatRelative, humanize } from '../../lib/format.ts';

export type AuditEntry = InferResponseType<typeof api.api.v1.audit.$get, 200>['data'][number];

function Json(props: { label: string; value: unknown }) {
  return (
    <div class="audit-json">
      <span class="muted">{props.label}</span>
      <Show when={props.value != null} fallback={<p class="muted">(none)</p>}>
        <pre>
          <code>{JSON.stringify(props.value, null, 2)}</code>
        </pre>
      </Show>
    </div>
  );
}

/** A text field of the entity's snapshot (after the change, else before), to name it by. */
function snapshotField(entry: AuditEntry, field: string): string | undefined {
  for (const side of [entry.after, entry.before]) {
    const value = side && typeof side === 'object' ? (side as Record<string, unknown>)[field] : undefined;
    if (typeof value === 'string' && value) return value;
  }
  return undefined;
}

/** Where an entity of the audit trail lives in the dashboard, if it has a page. */
export function entityPath(entry: Pick<AuditEntry, 'entityType' | 'entityId'>): string | undefined {
  const id = encodeURIComponent(entry.entityId);
  switch (entry.entityType) {
    case 'item':
      return `/items/${id}`;
    case 'job':
      return `/jobs/${id}`;
    case 'user':
      return `/admin/users?id=${id}`;
    case 'setting':
      return '/admin/settings';
    case 'webhook':
      return '/admin/webhooks';
    case 'api_key':
      return '/admin/api-keys';
    default:
      return undefined;
  }
}

/**
 * The entity by what people call it (an item's title, a user's name, a job's type, a key's
 * name, a webhook's URL), linked to its page; the id stays beside it, small.
 */
function Entity(props: { entry: AuditEntry }) {
  const name = () => {
    const { entry } = props;
    if (entry.entityType === 'item') return snapshotField(entry, 'title');
    if (entry.entityType === 'job') return snapshotField(entry, 'type');
    if (entry.entityType === 'webhook') return snapshotField(entry, 'url');
    if (entry.entityType === 'api_key') return snapshotField(entry, 'name');
    if (entry.entityType === 'setting') return entry.entityId;
    return undefined;
  };
  const label = () =>
    props.entry.entityType === 'user' ? (
      <UserRef id={props.entry.entityId} layout="name" />
    ) : (
      (name() ?? props.entry.entityId)
    );
  return (
    <span class="audit-entity">
      <span class="muted">{humanize(props.entry.entityType)}</span>{' '}
      <Show when={entityPath(props.entry)} fallback={label()}>
        {(path) => <A href={path()}>{label()}</A>}
      </Show>
      <Show when={props.entry.entityType !== 'setting' && (name() || props.entry.entityType === 'user')}>
        <code class="id" title={props.entry.entityId}>
          {props.entry.entityId}
        </code>
      </Show>
    </span>
  );
}

const COLUMNS: Column<AuditEntry>[] = [
  {
    label: 'Time',
    cell: (entry) => (
      <time datetime={entry.createdAt} title={formatRelative(entry.createdAt)}>
        {formatDateTime(entry.createdAt)}
      </time>
    ),
  },
  { label: 'Actor', cell: (entry) => <Actor type={entry.actorType} id={entry.actorId} layout="name" /> },
  { label: 'Action', cell: (entry) => <code class="action">{entry.action}</code> },
  { label: 'Entity', cell: (entry) => <Entity entry={entry} /> },
  { label: 'Request id', cell: (entry) => (entry.requestId ? <code class="id">{entry.requestId}</code> : '—') },
  {
    label: 'Changes',
    cell: (entry) => (
      <details>
        <summary>Before and after</summary>
        <div class="audit-diff">
          <Json label="Before" value={entry.before} />
          <Json label="After" value={entry.after} />
        </div>
      </details>
    ),
  },
];

export function AuditTable(props: { entries: AuditEntry[]; busy?: boolean }) {
  return (
    <DataTable
      class="audit-table"
      caption="Audit entries, newest first"
      columns={COLUMNS}
      rows={props.entries}
      busy={props.busy}
    />
  );
}
