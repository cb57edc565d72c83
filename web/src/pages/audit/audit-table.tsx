import { A } from '@solidjs/router';
import type { InferResponseType } from 'hono/client';
import { Show } from 'solid-js';
import { type Column, DataTable } from '../../components/data-table.tsx';
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

function Entity(props: { entry: AuditEntry }) {
  return (
    <span>
      {props.entry.entityType}{' '}
      <Show when={props.entry.entityType === 'item'} fallback={<code class="id">{props.entry.entityId}</code>}>
        <A href={`/items/${props.entry.entityId}`} class="id">
          <code>{props.entry.entityId}</code>
        </A>
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
  {
    label: 'Actor',
    cell: (entry) => (
      <span>
        {humanize(entry.actorType)}
        <Show when={entry.actorId}>{(id) => <code class="id">{id()}</code>}</Show>
      </span>
    ),
  },
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
