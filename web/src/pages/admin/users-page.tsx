import { A, useSearchParams } from '@solidjs/router';
import { createResource, createSignal, Show } from 'solid-js';
import { ROLES, type Role } from '../../../../vocabulary/permissions.ts';
import { ChoiceOptions } from '../../components/choice-options.tsx';
import { CursorPager, createCursorTrail } from '../../components/cursor-pager.tsx';
import { DataTable } from '../../components/data-table.tsx';
import { notify } from '../../components/notices.tsx';
import { Async, Empty } from '../../components/states.tsx';
import { api, call } from '../../lib/api.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { me } from '../../lib/session.ts';
import { SecretPanel } from './secret-panel.tsx';
import { type CreatedUser, UserInviteForm } from './user-invite-form.tsx';
import { UserRow } from './user-row.tsx';
import './admin.css';

type Filters = { role?: string; status?: string; cursor?: string; id?: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default function UsersPage() {
  usePageTitle(() => 'Users');
  const [params, setParams] = useSearchParams<Filters>();
  const [invited, setInvited] = createSignal<CreatedUser>();
  const [users, { refetch }] = createResource(
    () => ({ role: params.role, status: params.status, cursor: params.cursor, id: params.id }),
    async (filters) => {
      // One user by id (the audit log links here): the same table, with that row alone.
      if (filters.id && UUID.test(filters.id)) {
        const user = await call(api.api.v1.users[':id'].$get({ param: { id: filters.id } }));
        return { data: [user], nextCursor: null };
      }
      return call(
        api.api.v1.users.$get({
          query: {
            role: ROLES.includes(filters.role as Role) ? (filters.role as Role) : undefined,
            disabled: filters.status === 'disabled' ? 'true' : filters.status === 'active' ? 'false' : undefined,
            cursor: filters.cursor,
          },
        }),
      );
    },
  );
  const trail = createCursorTrail(
    () => params.cursor,
    (cursor) => setParams({ cursor }),
  );
  let listHeading: HTMLHeadingElement | undefined;

  const created = (user: CreatedUser) => {
    notify(`${user.email} was ${user.invitation ? 'invited' : 'created'}.`);
    setInvited(user.invitation ? user : undefined);
    // The newest user is first: show the first page without filters that could hide them.
    if (params.role || params.status || params.cursor || params.id)
      setParams({ role: undefined, status: undefined, cursor: undefined, id: undefined });
    else refetch();
  };

  return (
    <div class="admin-page">
      <header class="page-header">
        <h1>Users</h1>
      </header>
      <UserInviteForm onCreated={created} />
      {/* Keyed: a second secret replaces the panel, which takes the focus again. */}
      <Show when={invited()} keyed>
        {(user) => (
          <SecretPanel
            title={`Invitation for ${user.email}`}
            label="One-time password"
            secret={user.invitation?.password ?? ''}
            onDone={() => {
              setInvited(undefined);
              listHeading?.focus();
            }}
          />
        )}
      </Show>
      <section aria-labelledby="users-title">
        <h2 id="users-title" ref={listHeading} tabIndex={-1}>
          All users
        </h2>
        <div class="filters">
          <div class="field">
            <label for="users-role">Filter by role</label>
            <select
              id="users-role"
              onChange={(e) =>
                setParams({ role: e.currentTarget.value || undefined, cursor: undefined, id: undefined })
              }
            >
              <ChoiceOptions of={ROLES} selected={params.role} any="Every role" />
            </select>
          </div>
          <div class="field">
            <label for="users-status">Filter by status</label>
            <select
              id="users-status"
              onChange={(e) =>
                setParams({ status: e.currentTarget.value || undefined, cursor: undefined, id: undefined })
              }
            >
              <option value="">Active and disabled</option>
              <option value="active" selected={params.status === 'active'}>
                Active
              </option>
              <option value="disabled" selected={params.status === 'disabled'}>
                Disabled
              </option>
            </select>
          </div>
        </div>
        <Show when={params.id}>
          <p class="alert info one-user">
            Showing one user.{' '}
            <A href="/admin/users" class="button small">
              Show all users
            </A>
          </p>
        </Show>
        <Async of={users} retry={refetch} loading="Loading users…">
          {(page) => (
            <Show when={page().data.length} fallback={<Empty title="No users match these filters" />}>
              <DataTable
                columns={['Name', 'Email', 'Role', 'Status', 'Created', 'Actions']}
                rows={page().data}
                row={(user) => <UserRow user={user} isMe={user.id === me()?.user?.id} />}
              />
              <CursorPager
                trail={trail}
                nextCursor={page().nextCursor}
                shown={page().data.length}
                pageSize={20}
                noun="users"
              />
            </Show>
          )}
        </Async>
      </section>
    </div>
  );
}
