import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { beforeEach, describe, expect, it } from 'vitest';
import { api, call } from '../../lib/api.ts';
import { createItem, signIn, unique } from '../../test/items.ts';
import { renderPage } from '../../test/render.tsx';
import { fetchItem } from './item-data.ts';
import ItemEditPage from './item-edit-page.tsx';

function openItem(id: string) {
  return renderPage(ItemEditPage, { url: `/items/${id}`, path: '/items/:id' });
}

function fillIn(label: string, value: string) {
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
}

describe('item edit page', () => {
  beforeEach(() => signIn('editor'));

  it('Should save a change and show the new version', async () => {
    const item = await createItem({ title: unique('edit'), tags: ['a'] });
    openItem(item.id);
    expect(await screen.findByLabelText('Title')).toHaveValue(item.title);
    expect(screen.getByText(/Version 1/)).toBeInTheDocument();
    fillIn('Title', `${item.title} renamed`);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/Version 2/)).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(`${item.title} renamed`);
    expect((await fetchItem(item.id)).title).toBe(`${item.title} renamed`);
  });

  it('Should keep the edits on a conflict and save after loading the latest version', async () => {
    const item = await createItem({ title: unique('conflict') });
    openItem(item.id);
    await screen.findByLabelText('Title');
    // Someone else saves meanwhile.
    await call(
      api.api.v1.items[':id'].$patch({ param: { id: item.id }, json: { priority: 'urgent', version: 1 }, header: {} }),
    );
    fillIn('Title', 'my edit');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Someone else changed this item');
    expect(alert).toHaveTextContent('version 2');
    expect(screen.getByLabelText('Title')).toHaveValue('my edit');

    fireEvent.click(screen.getByRole('button', { name: 'Load latest version' }));
    await waitFor(() => expect(screen.getByLabelText('Priority')).toHaveValue('urgent'));
    expect(screen.getByLabelText('Title')).toHaveValue(item.title);
    expect(screen.queryByRole('alert')).toBeNull();

    fillIn('Title', 'my edit again');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/Version 3/)).toBeInTheDocument();
    expect(await fetchItem(item.id)).toMatchObject({ title: 'my edit again', priority: 'urgent', version: 3 });
  });

  it('Should save the edits over the other change when the user keeps them', async () => {
    const item = await createItem({ title: unique('keep') });
    openItem(item.id);
    await screen.findByLabelText('Title');
    await call(
      api.api.v1.items[':id'].$patch({ param: { id: item.id }, json: { tags: ['x'], version: 1 }, header: {} }),
    );
    fillIn('Title', 'mine');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Keep my edits' }));
    expect(screen.getByLabelText('Title')).toHaveValue('mine');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/Version 3/)).toBeInTheDocument();
    // Only the changed field was sent: the other change stays.
    expect(await fetchItem(item.id)).toMatchObject({ title: 'mine', tags: ['x'] });
  });

  it('Should not make a new version when nothing changed', async () => {
    const item = await createItem({ title: unique('unchanged'), dueAt: '2030-01-02T15:30:00.000Z' });
    openItem(item.id);
    fireEvent.click(await screen.findByRole('button', { name: 'Save' }));
    fillIn('Description', 'added');
    fireEvent.click(await screen.findByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/Version 2/)).toBeInTheDocument();
    expect(await fetchItem(item.id)).toMatchObject({ description: 'added', dueAt: '2030-01-02T15:30:00.000Z' });
  });

  it('Should delete after confirming and go back to the list', async () => {
    const item = await createItem({ title: unique('delete') });
    const { history } = openItem(item.id);
    fireEvent.click(await screen.findByRole('button', { name: 'Delete' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, delete' }));
    await waitFor(() => expect(history.get()).toBe('/items'));
    await expect(fetchItem(item.id)).rejects.toMatchObject({ status: 404 });
  });

  it('Should show viewers the item without any controls', async () => {
    const item = await createItem({ title: unique('viewed'), description: 'Read only', tags: ['t1'] });
    await signIn('viewer');
    openItem(item.id);
    expect(await screen.findByRole('heading', { level: 1, name: item.title })).toBeInTheDocument();
    expect(screen.getByText('Read only')).toBeInTheDocument();
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByRole('combobox')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull();
  });

  it('Should say an unknown item does not exist', async () => {
    openItem(crypto.randomUUID());
    expect(await screen.findByRole('heading', { level: 1, name: 'Item not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to the item list' })).toHaveAttribute('href', '/items');
  });

  it('Should show the owner, and admins the history of every change with who made it', async () => {
    const item = await createItem({ title: unique('history'), status: 'pending' });
    await call(
      api.api.v1.items[':id'].$patch({
        param: { id: item.id },
        json: { status: 'in_progress', priority: 'urgent', version: 1 },
        header: {},
      }),
    );
    await signIn('admin');
    openItem(item.id);
    // Created by the editor, who therefore owns it.
    const meta = await screen.findByText('Owner', { exact: false });
    await waitFor(() => expect(meta).toHaveTextContent('Owner Eddie Editor (editor@edgeplane.local)'));
    const history = await screen.findByRole('region', { name: 'History' });
    const entries = await within(history).findAllByRole('listitem', {}, { timeout: 5_000 });
    const changed = entries.find((li) => li.textContent?.startsWith('Changed'));
    expect(changed).toHaveTextContent(/Changed by Eddie Editor/);
    expect(changed).toHaveTextContent('Status: Pending → In progress');
    expect(changed).toHaveTextContent('Priority: Medium → Urgent');
    expect(within(history).getByText('Created').closest('li')).toHaveTextContent(/by Eddie Editor/);

    fillIn('Title', `${item.title} renamed`);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(within(history).getAllByRole('listitem')[0]).toHaveTextContent(
        `Title: “${item.title}” → “${item.title} renamed”`,
      ),
    );
    await waitFor(() => expect(within(history).getAllByRole('listitem')[0]).toHaveTextContent(/Changed by Ada Admin/));
  });

  it('Should show no history to those who may not read the audit trail', async () => {
    const item = await createItem({ title: unique('no-history') });
    openItem(item.id);
    await screen.findByLabelText('Title');
    expect(screen.queryByRole('region', { name: 'History' })).toBeNull();
    expect(screen.queryByRole('heading', { name: 'History' })).toBeNull();
  });
});
