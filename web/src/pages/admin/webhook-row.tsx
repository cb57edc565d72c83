import { createSignal, For, Show } from 'solid-js';
import { Badge } from '../../components/badge.tsx';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { notify } from '../../components/notices.tsx';
import { api, call } from '../../lib/api.ts';
import { formatDate } from '../../lib/format.ts';
import { problemMessage } from './form-state.ts';
import { eventLabel, type Webhook, type WebhookWithSecret } from './webhook-events.ts';

/** One webhook with its actions; a rotated secret goes up to the page to be shown once. */
export function WebhookRow(props: {
  hook: Webhook;
  onSecret: (hook: WebhookWithSecret) => void;
  onDeleted: (hook: Webhook) => void;
}) {
  const [hook, setHook] = createSignal(props.hook);
  const [busy, setBusy] = createSignal(false);
  let toggle: HTMLButtonElement | undefined;

  const attempt = async <T,>(action: () => Promise<T>, failure: string): Promise<T | undefined> => {
    setBusy(true);
    try {
      return await action();
    } catch (err) {
      notify(`${failure}: ${problemMessage(err)}`, 'error');
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  const id = () => ({ id: hook().id });

  const setActive = async (active: boolean) => {
    const updated = await attempt(
      () => call(api.api.v1.webhooks[':id'].$patch({ param: id(), json: { active } })),
      `Could not ${active ? 'enable' : 'disable'} the webhook`,
    );
    if (!updated) return;
    setHook(updated);
    notify(`Webhook to ${updated.url} ${active ? 'enabled' : 'disabled'}.`);
    toggle?.focus();
  };
  const rotate = async () => {
    const rotated = await attempt(
      () => call(api.api.v1.webhooks[':id']['rotate-secret'].$post({ param: id() })),
      'Could not rotate the secret',
    );
    if (rotated) props.onSecret(rotated);
  };
  const remove = async () => {
    const done = await attempt(
      () => call(api.api.v1.webhooks[':id'].$delete({ param: id() })).then(() => true),
      'Could not delete the webhook',
    );
    if (done) props.onDeleted(hook());
  };

  return (
    <tr>
      <td data-label="URL" class="break">
        <div>
          <code>{hook().url}</code>
          <Show when={hook().description}>
            <div class="muted">{hook().description}</div>
          </Show>
        </div>
      </td>
      <td data-label="Events">
        <ul class="plain-list">
          <For each={hook().events}>{(event) => <li>{eventLabel(event)}</li>}</For>
        </ul>
      </td>
      <td data-label="Status">
        <Badge value={hook().active ? 'active' : 'disabled'} />
      </td>
      <td data-label="Created">{formatDate(hook().createdAt)}</td>
      <td data-label="Actions">
        <div class="actions">
          <button
            ref={toggle}
            type="button"
            class="button small"
            disabled={busy()}
            onClick={() => setActive(!hook().active)}
          >
            {hook().active ? 'Disable' : 'Enable'} <span class="visually-hidden">{hook().url}</span>
          </button>
          <ConfirmButton
            label="Rotate secret"
            class="button small"
            question="Replace the signing secret? The old one stops working at once."
            confirmLabel="Yes, rotate"
            disabled={busy()}
            onConfirm={rotate}
          >
            Rotate secret <span class="visually-hidden">{hook().url}</span>
          </ConfirmButton>
          <ConfirmButton
            label="Delete"
            class="button danger small"
            question="Delete this webhook?"
            disabled={busy()}
            onConfirm={remove}
          >
            Delete <span class="visually-hidden">{hook().url}</span>
          </ConfirmButton>
        </div>
      </td>
    </tr>
  );
}
