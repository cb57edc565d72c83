import type { InferResponseType } from 'hono/client';
import { ROLES, type Role } from '../../../../vocabulary/permissions.ts';
import { ChoiceOptions } from '../../components/choice-options.tsx';
import { Field, FormError } from '../../components/field.tsx';
import { api, call } from '../../lib/api.ts';
import { me } from '../../lib/session.ts';
import { createFormState } from './form-state.ts';

export type CreatedApiKey = InferResponseType<(typeof api.api.v1)['api-keys']['$post'], 201>;

/** Roles a key may have: never more than its creator's own (the API refuses more). */
function grantableRoles(): readonly Role[] {
  const mine = me()?.role;
  return mine ? ROLES.slice(0, ROLES.indexOf(mine) + 1) : [];
}

export function ApiKeyForm(props: { onCreated: (key: CreatedApiKey) => void }) {
  const form = createFormState(['name', 'role']);

  const submit = form.onSubmit(
    (data) =>
      call(
        api.api.v1['api-keys'].$post({
          json: { name: String(data.get('name') ?? ''), role: String(data.get('role')) as Role },
        }),
      ),
    (created) => props.onCreated(created),
  );

  return (
    <form class="card form" onSubmit={submit} novalidate aria-labelledby="new-key-title">
      <h2 id="new-key-title">Create an API key</h2>
      <FormError message={form.error()} />
      <div class="form-row">
        <Field label="Name" name="name" error={form.fields().name} hint="What uses the key, e.g. “CI deploys”.">
          {(control) => <input {...control} type="text" maxLength={100} autocomplete="off" required />}
        </Field>
        <Field label="Role" name="role" error={form.fields().role} hint="What the key may do.">
          {(control) => (
            <select {...control}>
              <ChoiceOptions of={grantableRoles()} selected="viewer" />
            </select>
          )}
        </Field>
      </div>
      <div class="actions">
        <button type="submit" class="button primary" disabled={form.busy()}>
          {form.busy() ? 'Creating…' : 'Create key'}
        </button>
      </div>
    </form>
  );
}
