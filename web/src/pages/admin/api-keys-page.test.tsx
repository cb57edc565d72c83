import { fireEvent, render as mount, screen, waitFor, within } from '@solidjs/testing-library';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { Notices } from '../../components/notices.tsx';
import { api, call } from '../../lib/api.ts';
import { loadSession } from '../../lib/session.ts';
import { renderPage } from '../../test/render.tsx';
import { signInAs } from '../../test/setup.ts';
import ApiKeysPage from './api-keys-page.tsx';

const unique = (prefix: string) => `${prefix} ${Math.random().toString(36).slice(2, 10)}`;

function render() {
  mount(() => <Notices />);
  return renderPage(ApiKeysPage, { url: '/admin/api-keys', path: '/admin/api-keys' });
}

/** Calls the API with `key` as the bearer token, outside the dashboard's client. */
function whoAmI(key: string) {
  return fetch(`${inject('apiUrl')}/api/v1/auth/me`, { headers: { authorization: `Bearer ${key}` } });
}

describe('API keys page', () => {
  beforeEach(async () => {
    await signInAs('admin');
    await loadSession();
  });

  it('Should show the API field error beside an empty name', async () => {
    render();
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    const name = screen.getByLabelText('Name');
    await waitFor(() => expect(name).toHaveAttribute('aria-invalid', 'true'));
    expect(name).toHaveAccessibleDescription(/must not be empty/);
  });

  it('Should show a new key once, in a focused panel, and the key should work as a bearer token', async () => {
    render();
    const name = unique('CI key');
    fireEvent.input(screen.getByLabelText('Name'), { target: { value: name } });
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'editor' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));

    const panel = await screen.findByRole('region', { name: `New API key “${name}”` });
    expect(panel).toHaveTextContent('Copy it now; it will not be shown again.');
    await waitFor(() => expect(panel).toHaveFocus());
    const key = (within(panel).getByLabelText('API key') as HTMLInputElement).value;
    expect(key).toMatch(/^ep_/);

    const res = await whoAmI(key);
    expect(res.status).toBe(200);
    const caller = (await res.json()) as { id: string };
    expect(caller).toMatchObject({ type: 'api_key', role: 'editor' });

    const row = (await screen.findByRole('cell', { name })).closest('tr') as HTMLElement;
    expect(row).toHaveTextContent(key.slice(0, 10));
    fireEvent.click(within(panel).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('region', { name: `New API key “${name}”` })).not.toBeInTheDocument();
    expect(screen.queryByDisplayValue(key)).not.toBeInTheDocument();
    // Leave no working editor key behind in the shared database.
    await api.api.v1['api-keys'][':id'].$delete({ param: { id: caller.id } });
  });

  it('Should revoke a key after confirming: it leaves the list and stops working', async () => {
    const created = await call(api.api.v1['api-keys'].$post({ json: { name: unique('Old key'), role: 'viewer' } }));
    render();
    fireEvent.click(await screen.findByRole('button', { name: `Revoke ${created.name}` }));
    fireEvent.click(await screen.findByRole('button', { name: 'Yes, revoke' }));
    expect(await screen.findByText(`API key “${created.name}” revoked.`)).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('button', { name: `Revoke ${created.name}` })).toBeNull());
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Active keys' })).toHaveFocus());
    expect((await whoAmI(created.key)).status).toBe(401);
  });
});
