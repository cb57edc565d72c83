import { createResource, createSignal, Show } from 'solid-js';
import { DataTable } from '../../components/data-table.tsx';
import { notify } from '../../components/notices.tsx';
import { Async, Empty } from '../../components/states.tsx';
import { api, call } from '../../lib/api.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { SecretPanel } from './secret-panel.tsx';
import type { Webhook, WebhookWithSecret } from './webhook-events.ts';
import { WebhookForm } from './webhook-form.tsx';
import { WebhookRow } from './webhook-row.tsx';
import './admin.css';

export default function WebhooksPage() {
  usePageTitle(() => 'Webhooks');
  const [hooks, { refetch }] = createResource(() => call(api.api.v1.webhooks.$get()));
  const [secret, setSecret] = createSignal<{ title: string; secret: string }>();
  let listHeading: HTMLHeadingElement | undefined;

  const created = (hook: WebhookWithSecret) => {
    notify(`Webhook to ${hook.url} added.`);
    setSecret({ title: `Signing secret for ${hook.url}`, secret: hook.secret });
    refetch();
  };
  const rotated = (hook: WebhookWithSecret) => {
    notify(`The signing secret for ${hook.url} was replaced.`);
    setSecret({ title: `New signing secret for ${hook.url}`, secret: hook.secret });
  };
  const deleted = async (hook: Webhook) => {
    notify(`Webhook to ${hook.url} deleted.`);
    await refetch();
    listHeading?.focus();
  };

  return (
    <div class="admin-page">
      <header class="page-header">
        <h1>Webhooks</h1>
      </header>
      <p class="muted">
        Webhooks send item events to other services as signed POST requests (Standard Webhooks headers), retried until
        they are accepted.
      </p>
      <WebhookForm onCreated={created} />
      {/* Keyed: a second secret replaces the panel, which takes the focus again. */}
      <Show when={secret()} keyed>
        {(shown) => (
          <SecretPanel
            title={shown.title}
            label="Signing secret"
            secret={shown.secret}
            onDone={() => {
              setSecret(undefined);
              listHeading?.focus();
            }}
          />
        )}
      </Show>
      <section aria-labelledby="hooks-title">
        <h2 id="hooks-title" ref={listHeading} tabIndex={-1}>
          Webhooks
        </h2>
        <Async of={hooks} retry={refetch} loading="Loading webhooks…">
          {(list) => (
            <Show when={list().data.length} fallback={<Empty title="No webhooks yet" />}>
              <DataTable
                columns={['URL', 'Events', 'Status', 'Created', 'Actions']}
                rows={list().data}
                row={(hook) => <WebhookRow hook={hook} onSecret={rotated} onDeleted={deleted} />}
              />
            </Show>
          )}
        </Async>
      </section>
    </div>
  );
}
