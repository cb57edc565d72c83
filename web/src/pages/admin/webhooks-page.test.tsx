import { fireEvent, render as mount, screen, waitFor, within } from '@solidjs/testing-library';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { Notices } from '../../components/notices.tsx';
import { api, call } from '../../lib/api.ts';
import { loadSession } from '../../lib/session.ts';
import { renderPage } from '../../test/render.tsx';
import { signInAs } from '../../test/setup.ts';
import WebhooksPage from './webhooks-page.tsx';

// `.test` never resolves: nothing is delivered anywhere, and every hook made here is deleted after.
const hookUrl = () => `https://hooks.example.test/${Math.random().toString(36).slice(2, 10)}`;
const made: string[] = [];

function render() {
  mount(() => <Notices />);
  return renderPage(WebhooksPage, { url: '/admin/webhooks', path: '/admin/webhooks' });
}

async function createHook() {
  const hook = await call(
    api.api.v1.webhooks.$post({ json: { url: hookUrl(), events: ['item.created'], active: false } }),
  );
  made.push(hook.id);
  return hook;
}

describe('webhooks page', () => {
  beforeEach(async () => {
    await signInAs('admin');
    await loadSession();
  });
  afterAll(async () => {
    await signInAs('admin');
    for (const id of made) await api.api.v1.webhooks[':id'].$delete({ param: { id } });
  });

  it('Should show the API field errors beside the URL and the events', async () => {
    render();
    fireEvent.input(screen.getByLabelText('URL'), { target: { value: 'ftp://example.test/hook' } });
    for (const box of screen.getAllByRole('checkbox', { name: /^Item/ })) fireEvent.click(box);
    fireEvent.click(screen.getByRole('button', { name: 'Add webhook' }));
    const url = screen.getByLabelText('URL');
    await waitFor(() => expect(url).toHaveAttribute('aria-invalid', 'true'));
    expect(url).toHaveAccessibleDescription(/must be an http or https URL/);
    expect(screen.getByRole('group', { name: 'Events' })).toHaveAccessibleDescription(/at least one event/);
  });

  it('Should add a webhook, show its signing secret once and list it', async () => {
    render();
    await screen.findByRole('heading', { name: /Webhooks|No webhooks/, level: 2 });
    const url = hookUrl();
    fireEvent.input(screen.getByLabelText('URL'), { target: { value: url } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Item deleted item.deleted' }));
    fireEvent.click(screen.getByRole('checkbox', { name: /^Active/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Add webhook' }));

    const panel = await screen.findByRole('region', { name: `Signing secret for ${url}` });
    made.push(...(await call(api.api.v1.webhooks.$get())).data.filter((h) => h.url === url).map((h) => h.id));
    expect(panel).toHaveTextContent('it will not be shown again');
    expect((within(panel).getByLabelText('Signing secret') as HTMLInputElement).value).toMatch(/^whsec_/);
    await waitFor(() => expect(panel).toHaveFocus());

    const row = (await screen.findByText(url, { selector: 'code' })).closest('tr') as HTMLElement;
    expect(row).toHaveTextContent('Item created');
    expect(row).not.toHaveTextContent('Item deleted');
    expect(row).toHaveTextContent('Disabled');
    fireEvent.click(within(panel).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('region', { name: `Signing secret for ${url}` })).not.toBeInTheDocument();
  });

  it('Should enable a webhook and rotate its secret, showing the new one once', async () => {
    const hook = await createHook();
    render();
    fireEvent.click(await screen.findByRole('button', { name: `Enable ${hook.url}` }));
    await screen.findByRole('button', { name: `Disable ${hook.url}` });
    expect((await call(api.api.v1.webhooks[':id'].$get({ param: { id: hook.id } }))).active).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: `Disable ${hook.url}` }));
    await screen.findByRole('button', { name: `Enable ${hook.url}` });

    fireEvent.click(screen.getByRole('button', { name: `Rotate secret ${hook.url}` }));
    fireEvent.click(await screen.findByRole('button', { name: 'Yes, rotate' }));
    const panel = await screen.findByRole('region', { name: `New signing secret for ${hook.url}` });
    const secret = (within(panel).getByLabelText('Signing secret') as HTMLInputElement).value;
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(hook.secret);
  });

  it('Should delete a webhook after confirming', async () => {
    const hook = await createHook();
    render();
    fireEvent.click(await screen.findByRole('button', { name: `Delete ${hook.url}` }));
    fireEvent.click(await screen.findByRole('button', { name: 'Yes, delete' }));
    await waitFor(() => expect(screen.queryByText(hook.url, { selector: 'code' })).toBeNull());
    const res = await api.api.v1.webhooks[':id'].$get({ param: { id: hook.id } });
    expect(res.status).toBe(404);
  });
});
