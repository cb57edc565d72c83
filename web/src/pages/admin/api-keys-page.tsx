import { createResource, createSignal, Show } from 'solid-js';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { type Column, DataTable } from '../../components/data-table.tsx';
import { notify } from '../../components/notices.tsx';
import { Async, Empty } from '../../components/states.tsx';
import { api, call } from '../../lib/api.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { ApiKeyForm, type CreatedApiKey } from './api-key-form.tsx';
import { problemMessage } from './form-state.ts';
import { type ApiKey, KEY_COLUMNS, RevokedKeys } from './revoked-keys.tsx';
import { SecretPanel } from './secret-panel.tsx';
import './admin.css';

export default function ApiKeysPage() {
  usePageTitle(() => 'API keys');
  const [keys, { refetch }] = createResource(() => call(api.api.v1['api-keys'].$get()));
  const [created, setCreated] = createSignal<CreatedApiKey>();
  const active = () => keys.latest?.data.filter((k) => !k.revokedAt) ?? [];
  const revoked = () => keys.latest?.data.filter((k) => k.revokedAt) ?? [];
  let listHeading: HTMLHeadingElement | undefined;

  const onCreated = (key: CreatedApiKey) => {
    notify(`API key “${key.name}” created.`);
    setCreated(key);
    refetch();
  };

  const revoke = async (key: ApiKey) => {
    try {
      await call(api.api.v1['api-keys'][':id'].$delete({ param: { id: key.id } }));
      notify(`API key “${key.name}” revoked.`);
      await refetch();
      // Its row is gone: land on the list rather than nowhere.
      listHeading?.focus();
    } catch (err) {
      notify(`Could not revoke “${key.name}”: ${problemMessage(err)}`, 'error');
    }
  };

  const columns: Column<ApiKey>[] = [
    ...KEY_COLUMNS,
    { label: 'Created', cell: (key) => formatDateTime(key.createdAt) },
    {
      label: 'Last used',
      cell: (key) => (
        <span title={formatDateTime(key.lastUsedAt)}>{key.lastUsedAt ? formatRelative(key.lastUsedAt) : 'Never'}</span>
      ),
    },
    {
      label: 'Actions',
      cell: (key) => (
        <ConfirmButton
          label="Revoke"
          class="button danger small"
          question={`Revoke “${key.name}”? Anything using it stops working.`}
          onConfirm={() => revoke(key)}
        >
          Revoke <span class="visually-hidden">{key.name}</span>
        </ConfirmButton>
      ),
    },
  ];

  return (
    <div class="admin-page">
      <header class="page-header">
        <h1>API keys</h1>
      </header>
      <p class="muted">
        Keys let scripts and other services call the API: send one as <code>Authorization: Bearer …</code>.
      </p>
      <ApiKeyForm onCreated={onCreated} />
      {/* Keyed: a second secret replaces the panel, which takes the focus again. */}
      <Show when={created()} keyed>
        {(key) => (
          <SecretPanel
            title={`New API key “${key.name}”`}
            label="API key"
            secret={key.key}
            onDone={() => {
              setCreated(undefined);
              listHeading?.focus();
            }}
          />
        )}
      </Show>
      <section aria-labelledby="keys-title">
        <h2 id="keys-title" ref={listHeading} tabIndex={-1}>
          Active keys
        </h2>
        <Async of={keys} retry={refetch} loading="Loading API keys…">
          {() => (
            <>
              <Show when={active().length} fallback={<Empty title="No active API keys" />}>
                <DataTable columns={columns} rows={active()} />
              </Show>
              <Show when={revoked().length}>
                <RevokedKeys keys={revoked()} />
              </Show>
            </>
          )}
        </Async>
      </section>
    </div>
  );
}
