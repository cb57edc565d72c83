import type { InferResponseType } from 'hono/client';
import { ROLES, type Role } from '../../../../vocabulary/permissions.ts';
import { ChoiceOptions } from '../../components/choice-options.tsx';
import { Field, FormError } from '../../components/field.tsx';
import { api, call } from '../../lib/api.ts';
import { createFormState } from './form-state.ts';

export type CreatedUser = InferResponseType<typeof api.api.v1.users.$post, 201>;

/**
 * Creates a user. Without a password the API generates a one-time one (the
 * invitation), which the page shows once.
 */
export function UserInviteForm(props: { onCreated: (user: CreatedUser) => void }) {
  const form = createFormState(['email', 'name', 'role', 'password']);

  const submit = form.onSubmit(
    (data) => {
      const password = String(data.get('password') ?? '');
      return call(
        api.api.v1.users.$post({
          json: {
            email: String(data.get('email') ?? '').trim(),
            name: String(data.get('name') ?? ''),
            role: String(data.get('role')) as Role,
            ...(password ? { password } : {}),
          },
        }),
      );
    },
    (created, el) => {
      props.onCreated(created);
      // Without an invitation to copy, the form is ready for the next one.
      if (!created.invitation) el.querySelector('input')?.focus();
    },
  );

  return (
    <form class="card form" onSubmit={submit} novalidate aria-labelledby="invite-title">
      <h2 id="invite-title">Invite a user</h2>
      <FormError message={form.error()} />
      <div class="form-row">
        <Field label="Email" name="email" error={form.fields().email}>
          {(control) => <input {...control} type="email" autocomplete="off" required />}
        </Field>
        <Field label="Name" name="name" error={form.fields().name}>
          {(control) => <input {...control} type="text" autocomplete="off" required />}
        </Field>
      </div>
      <div class="form-row">
        <Field label="Role" name="role" error={form.fields().role}>
          {(control) => (
            <select {...control}>
              <ChoiceOptions of={ROLES} selected="viewer" />
            </select>
          )}
        </Field>
        <Field
          label="Password (optional)"
          name="password"
          error={form.fields().password}
          hint="Leave empty to invite: a one-time password is generated and shown once."
        >
          {(control) => <input {...control} type="password" autocomplete="new-password" />}
        </Field>
      </div>
      <div class="actions">
        <button type="submit" class="button primary" disabled={form.busy()}>
          {form.busy() ? 'Inviting…' : 'Invite user'}
        </button>
      </div>
    </form>
  );
}
