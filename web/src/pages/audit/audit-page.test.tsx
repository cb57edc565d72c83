import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { api, call } from '../../lib/api.ts';
import { renderPage } from '../../test/render.tsx';
import { signInAs } from '../../test/setup.ts';
import AuditPage from './audit-page.tsx';
import { entityPath } from './audit-table.tsx';

describe('audit log page', () => {
  it('Should show the entry for an item just created, with its after state', async () => {
    await signInAs('admin');
    const title = `Audited ${crypto.randomUUID().slice(0, 8)}`;
    const item = await call(api.api.v1.items.$post({ json: { title } }));
    renderPage(AuditPage, { url: `/audit?entityType=item&entityId=${item.id}` });

    const action = await screen.findByText('item.created');
    const row = action.closest('tr') as HTMLElement;
    // Named by its title, linked to its page; the id stays beside it.
    expect(within(row).getByRole('link', { name: title })).toHaveAttribute('href', `/items/${item.id}`);
    expect(within(row).getByText(item.id)).toBeInTheDocument();
    // The actor by name, not by id.
    expect(await within(row).findByText('Ada Admin')).toBeInTheDocument();
    fireEvent.click(within(row).getByText('Before and after'));
    expect(within(row).getByText(new RegExp(`"title": "${title}"`))).toBeInTheDocument();
    expect(screen.getByLabelText('Entity id')).toHaveValue(item.id);
  });

  it('Should show the API field error beside From when it is after To', async () => {
    await signInAs('admin');
    const { history } = renderPage(AuditPage, { url: '/audit' });
    fireEvent.input(screen.getByLabelText('From'), { target: { value: '2025-03-10' } });
    fireEvent.input(screen.getByLabelText('To', { exact: true }), { target: { value: '2025-03-01' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply filters' }));

    const from = screen.getByLabelText('From');
    await waitFor(() => expect(from).toHaveAttribute('aria-invalid', 'true'));
    expect(from).toHaveAccessibleDescription(/must not be after/);
    expect(screen.getByRole('alert')).toHaveTextContent('Some filters are not valid');
    expect(history.get()).toContain('from=2025-03-10');
  });

  it('Should link jobs and users to their pages, by type and by name', async () => {
    await signInAs('admin');
    const runAt = new Date(Date.now() + 86_400_000).toISOString();
    const job = await call(api.api.v1.jobs.$post({ json: { type: 'cleanup', payload: {}, runAt }, header: {} }));
    renderPage(AuditPage, { url: `/audit?entityType=job&entityId=${job.id}` });
    const row = (await screen.findByText('job.created')).closest('tr') as HTMLElement;
    expect(within(row).getByRole('link', { name: 'cleanup' })).toHaveAttribute('href', `/jobs/${job.id}`);
    expect(entityPath({ entityType: 'user', entityId: 'u-1' })).toBe('/admin/users?id=u-1');
    expect(entityPath({ entityType: 'setting', entityId: 'app.name' })).toBe('/admin/settings');
    expect(entityPath({ entityType: 'something', entityId: 'x' })).toBeUndefined();
  });
});
