import type { InferResponseType } from 'hono/client';
import { For } from 'solid-js';
import { Badge } from '../../components/badge.tsx';
import type { api } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';

export type ApiKey = InferResponseType<(typeof api.api.v1)['api-keys']['$get'], 200>['data'][number];

/** Revoked keys stay listed (the audit log refers to them), out of the way. */
export function RevokedKeys(props: { keys: ApiKey[] }) {
  return (
    <details class="revoked-keys">
      <summary>Revoked keys ({props.keys.length})</summary>
      <div class="table-wrap">
        <table class="responsive-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Role</th>
              <th scope="col">Revoked</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.keys}>
              {(key) => (
                <tr>
                  <td data-label="Name">{key.name}</td>
                  <td data-label="Prefix">
                    <code>{key.prefix}…</code>
                  </td>
                  <td data-label="Role">
                    <Badge value={key.role} />
                  </td>
                  <td data-label="Revoked">{formatDateTime(key.revokedAt)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </details>
  );
}
