import type { InferResponseType } from 'hono/client';
import { Badge } from '../../components/badge.tsx';
import { type Column, DataTable } from '../../components/data-table.tsx';
import type { api } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';

export type ApiKey = InferResponseType<(typeof api.api.v1)['api-keys']['$get'], 200>['data'][number];

/** What names a key, active or revoked: the first columns of both tables. */
export const KEY_COLUMNS: Column<ApiKey>[] = [
  { label: 'Name', cell: (key) => key.name },
  { label: 'Prefix', cell: (key) => <code>{key.prefix}…</code> },
  { label: 'Role', cell: (key) => <Badge value={key.role} /> },
];

const REVOKED_COLUMNS: Column<ApiKey>[] = [
  ...KEY_COLUMNS,
  { label: 'Revoked', cell: (key) => formatDateTime(key.revokedAt) },
];

/** Revoked keys stay listed (the audit log refers to them), out of the way. */
export function RevokedKeys(props: { keys: ApiKey[] }) {
  return (
    <details class="revoked-keys">
      <summary>Revoked keys ({props.keys.length})</summary>
      <DataTable columns={REVOKED_COLUMNS} rows={props.keys} />
    </details>
  );
}
