import { fireEvent, render as mount, screen, waitFor, within } from '@solidjs/testing-library';
import { beforeEach, describe, expect, it } from 'vitest';
import { Notices } from '../../components/notices.tsx';
import { api, call } from '../../lib/api.ts';
import { loadSession } from '../../lib/session.ts';
import { renderPage } from '../../test/render.tsx';
import { signInAs } from '../../test/setup.ts';
import UsersPage from './users-page.tsx';

const suffix = () => Math.random().toString(36).slice(2, 10);

function fillIn(label: string, value: string) {
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
}

function render(url = '/admin/users') {
  // The shell normally hosts the notices.
  mount(() => <Notices />);
  return renderPage(UsersPage, { url, path: '/admin/users' });
}

async function createUser(role: 'viewer' | 'editor' = 'viewer') {
  const email = `user-${suffix()}@example.test`;
  return call(api.api.v1.users.$post({ json: { email, name: `User ${suffix()}`, role } }));
}

describe('users page', () => {
  beforeEach(async () => {
    await signInAs('admin');
    await loadSession();
  });

  it('Should show the API field error beside Email when the email is invalid', async () => {
    render();
    fillIn('Email', 'not-an-email');
    fillIn('Name', 'Nobody');
    fireEvent.click(screen.getByRole('button', { name: 'Invite user' }));
    const email = screen.getByLabelText('Email');
    await waitFor(() => expect(email).toHaveAttribute('aria-invalid', 'true'));
    expect(email).toHaveAccessibleDescription('must be an email address');
  });

  it('Should invite a user, show the one-time password once and add the row', async () => {
    render();
    await screen.findByRole('table');
    const email = `invite-${suffix()}@example.test`;
    fillIn('Email', email);
    fillIn('Name', 'Invited Person');
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'editor' } });
    fireEvent.click(screen.getByRole('button', { name: 'Invite user' }));

    const panel = await screen.findByRole('region', { name: `Invitation for ${email}` });
    expect(panel).toHaveTextContent('it will not be shown again');
    expect((within(panel).getByLabelText('One-time password') as HTMLInputElement).value).toMatch(/.{20,}/);
    await waitFor(() => expect(panel).toHaveFocus());
    const role = await screen.findByLabelText(`Role for ${email}`);
    expect(role).toHaveValue('editor');

    fireEvent.click(within(panel).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('region', { name: `Invitation for ${email}` })).not.toBeInTheDocument();
  });

  it('Should save a role as soon as it is chosen', async () => {
    const user = await createUser('viewer');
    render();
    const select = await screen.findByLabelText(`Role for ${user.email}`);
    fireEvent.change(select, { target: { value: 'editor' } });
    expect(await screen.findByText(`${user.email} is now editor.`)).toBeInTheDocument();
    const saved = await call(api.api.v1.users[':id'].$get({ param: { id: user.id } }));
    expect(saved.role).toBe('editor');
  });

  it('Should disable a user after confirming, and enable them again', async () => {
    const user = await createUser();
    render();
    await screen.findByLabelText(`Role for ${user.email}`);
    fireEvent.click(screen.getByRole('button', { name: `Disable ${user.email}` }));
    fireEvent.click(await screen.findByRole('button', { name: 'Yes, disable' }));
    const enable = await screen.findByRole('button', { name: `Enable ${user.email}` });
    expect((await call(api.api.v1.users[':id'].$get({ param: { id: user.id } }))).disabled).toBe(true);
    fireEvent.click(enable);
    await screen.findByRole('button', { name: `Disable ${user.email}` });
    expect((await call(api.api.v1.users[':id'].$get({ param: { id: user.id } }))).disabled).toBe(false);
  });

  it('Should mark your own row and refuse to demote you when you are the only admin', async () => {
    const admins = await call(api.api.v1.users.$get({ query: { role: 'admin', disabled: 'false' } }));
    // Only meaningful (and only safe) while the demo admin is the one enabled admin.
    expect(admins.data.map((u) => u.email)).toEqual(['admin@edgeplane.local']);
    const [admin] = admins.data;
    render('/admin/users?role=admin');
    const select = await screen.findByLabelText('Role for admin@edgeplane.local');
    const row = select.closest('tr') as HTMLElement;
    expect(within(row).getByText('You')).toBeInTheDocument();
    // No disabling yourself: the button is off, and says why.
    const disable = within(row).getByRole('button', { name: /^Disable/ });
    expect(disable).toBeDisabled();
    expect(disable).toHaveAccessibleDescription('You cannot disable yourself; another admin can.');
    try {
      fireEvent.change(select, { target: { value: 'editor' } });
      await waitFor(() => expect(select).toHaveAccessibleDescription(/no enabled admin/));
      expect(select).toHaveValue('admin');
    } finally {
      // Never leave the shared database without its admin, whatever happened above.
      if (admin) await api.api.v1.users[':id'].$patch({ param: { id: admin.id }, json: { role: 'admin' } });
    }
  });

  it('Should show one user alone when the address names them (the audit log links here)', async () => {
    const user = await createUser();
    render(`/admin/users?id=${user.id}`);
    expect(await screen.findByLabelText(`Role for ${user.email}`)).toBeInTheDocument();
    expect(screen.getAllByRole('row')).toHaveLength(2);
    expect(screen.getByRole('link', { name: 'Show all users' })).toHaveAttribute('href', '/admin/users');
  });
});
