import { createUniqueId, For, Show } from 'solid-js';
import { Field, FormError } from '../../components/field.tsx';
import { api, call } from '../../lib/api.ts';
import { createFormState } from './form-state.ts';
import { eventLabel, WEBHOOK_EVENTS, type WebhookEvent, type WebhookWithSecret } from './webhook-events.ts';

export function WebhookForm(props: { onCreated: (hook: WebhookWithSecret) => void }) {
  const form = createFormState(['url', 'events', 'description', 'active']);
  const eventsId = createUniqueId();

  const submit = form.onSubmit(
    (data) => {
      const description = String(data.get('description') ?? '').trim();
      return call(
        api.api.v1.webhooks.$post({
          json: {
            url: String(data.get('url') ?? '').trim(),
            events: data.getAll('events').map(String) as WebhookEvent[],
            active: data.get('active') === 'on',
            ...(description ? { description } : {}),
          },
        }),
      );
    },
    (created) => props.onCreated(created),
  );

  return (
    <form class="card form" onSubmit={submit} novalidate aria-labelledby="new-hook-title">
      <h2 id="new-hook-title">Add a webhook</h2>
      <FormError message={form.error()} />
      <Field
        label="URL"
        name="url"
        error={form.fields().url}
        hint="Each event is POSTed here, signed with the webhook's secret."
      >
        {(control) => <input {...control} type="url" inputMode="url" placeholder="https://" required />}
      </Field>
      <Field label="Description (optional)" name="description" error={form.fields().description}>
        {(control) => <input {...control} type="text" maxLength={500} />}
      </Field>
      <fieldset
        class="checkbox-group"
        classList={{ invalid: !!form.fields().events }}
        aria-describedby={form.fields().events ? `${eventsId}-error` : undefined}
      >
        <legend>Events</legend>
        <For each={WEBHOOK_EVENTS}>
          {(name) => (
            <label class="check">
              <input type="checkbox" name="events" value={name} checked aria-invalid={!!form.fields().events} />
              {eventLabel(name)} <code class="muted">{name}</code>
            </label>
          )}
        </For>
        <Show when={form.fields().events}>
          <p class="field-error" id={`${eventsId}-error`}>
            {form.fields().events}
          </p>
        </Show>
      </fieldset>
      <label class="check">
        <input type="checkbox" name="active" checked />
        Active: deliver events from now on
      </label>
      <div class="actions">
        <button type="submit" class="button primary" disabled={form.busy()}>
          {form.busy() ? 'Adding…' : 'Add webhook'}
        </button>
      </div>
    </form>
  );
}
