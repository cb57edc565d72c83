import { A } from '@solidjs/router';
import type { InferResponseType } from 'hono/client';
import { For, Show } from 'solid-js';
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

export function AuditTable(props: { entries: AuditEntry[]; busy?: boolean }) {
  return (
    <div class="table-wrap">
      <table class="responsive-table audit-table" aria-busy={props.busy}>
        <caption class="visually-hidden">Audit entries, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Entity</th>
            <th scope="col">Request id</th>
            <th scope="col">Changes</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.entries}>
            {(entry) => (
              <tr>
                <td data-label="Time">
                  <time datetime={entry.createdAt} title={formatRelative(entry.createdAt)}>
                    {formatDateTime(entry.createdAt)}
                  </time>
                </td>
                <td data-label="Actor">
                  <span>
                    {humanize(entry.actorType)}
                    <Show when={entry.actorId}>{(id) => <code class="id">{id()}</code>}</Show>
                  </span>
                </td>
                <td data-label="Action">
                  <code class="action">{entry.action}</code>
                </td>
                <td data-label="Entity">
                  <Entity entry={entry} />
                </td>
                <td data-label="Request id">{entry.requestId ? <code class="id">{entry.requestId}</code> : '—'}</td>
                <td data-label="Changes">
                  <details>
                    <summary>Before and after</summary>
                    <div class="audit-diff">
                      <Json label="Before" value={entry.before} />
                      <Json label="After" value={entry.after} />
                    </div>
                  </details>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
