import type { InferResponseType } from 'hono/client';
import { createSignal, createUniqueId, Show } from 'solid-js';
import { ROLES, type Role } from '../../../../vocabulary/permissions.ts';
import { Badge } from '../../components/badge.tsx';
import { ChoiceOptions } from '../../components/choice-options.tsx';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { notify } from '../../components/notices.tsx';
import { api, call } from '../../lib/api.ts';
import { formatDate, humanize } from '../../lib/format.ts';
import { problemMessage } from './form-state.ts';

export type User = InferResponseType<typeof api.api.v1.users.$get, 200>['data'][number];
type UserPatch = { role?: Role; disabled?: boolean };

/** One user: the role saves as soon as it is chosen; disabling asks first. */
export function UserRow(props: { user: User; isMe: boolean }) {
  const [user, setUser] = createSignal(props.user);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const errorId = createUniqueId();
  let actionCell: HTMLTableCellElement | undefined;

  const save = async (patch: UserPatch, done: string): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      setUser(await call(api.api.v1.users[':id'].$patch({ param: { id: user().id }, json: patch })));
      notify(done);
      return true;
    } catch (err) {
      // The API's detail says why (e.g. the last enabled admin), beside the control and in a notice.
      setError(problemMessage(err));
      notify(`${user().email}: ${problemMessage(err)}`, 'error');
      return false;
    } finally {
      setBusy(false);
    }
  };

  const changeRole = async (select: HTMLSelectElement) => {
    const role = select.value as Role;
    if (!(await save({ role }, `${user().email} is now ${humanize(role).toLowerCase()}.`))) select.value = user().role;
  };

  const setDisabled = async (disabled: boolean) => {
    await save({ disabled }, `${user().email} is ${disabled ? 'disabled' : 'enabled again'}.`);
    // The button that was pressed is replaced by its opposite: keep the focus there.
    queueMicrotask(() => actionCell?.querySelector('button')?.focus());
  };

  return (
    <tr>
      <td data-label="Name">
        {/* One box, so the phone layout keeps the name and its marker together. */}
        <span>
          {user().name}{' '}
          <Show when={props.isMe}>
            <span class="badge you">You</span>
          </Show>
        </span>
      </td>
      <td data-label="Email" class="break">
        {user().email}
      </td>
      <td data-label="Role">
        <select
          aria-label={`Role for ${user().email}`}
          aria-describedby={error() ? errorId : undefined}
          aria-invalid={!!error()}
          disabled={busy()}
          onChange={(e) => changeRole(e.currentTarget)}
        >
          <ChoiceOptions of={ROLES} selected={user().role} />
        </select>
        <Show when={error()}>
          <p class="row-error" id={errorId}>
            {error()}
          </p>
        </Show>
      </td>
      <td data-label="Status">
        <Badge value={user().disabled ? 'disabled' : 'active'} />
      </td>
      <td data-label="Created">{formatDate(user().createdAt)}</td>
      <td data-label="Actions" ref={actionCell}>
        <Show
          when={!props.isMe}
          fallback={
            // Disabling yourself would sign you out with no way back in: that is another admin's call.
            <div class="own-row">
              <button type="button" class="button danger small" disabled aria-describedby={`${errorId}-me`}>
                Disable <span class="visually-hidden">{user().email}</span>
              </button>
              <p class="row-hint muted" id={`${errorId}-me`}>
                You cannot disable yourself; another admin can.
              </p>
            </div>
          }
        >
          <Show
            when={user().disabled}
            fallback={
              <ConfirmButton
                label="Disable"
                class="button danger small"
                question={`Disable ${user().email}?`}
                disabled={busy()}
                onConfirm={() => setDisabled(true)}
              >
                Disable <span class="visually-hidden">{user().email}</span>
              </ConfirmButton>
            }
          >
            <button type="button" class="button small" disabled={busy()} onClick={() => setDisabled(false)}>
              Enable <span class="visually-hidden">{user().email}</span>
            </button>
          </Show>
        </Show>
      </td>
    </tr>
  );
}
