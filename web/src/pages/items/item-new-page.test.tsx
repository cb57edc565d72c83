import { fireEvent, screen, waitFor } from '@solidjs/testing-library';
import { beforeEach, describe, expect, it } from 'vitest';
import { signIn, unique } from '../../test/items.ts';
import { renderPage } from '../../test/render.tsx';
import { fetchItem } from './item-data.ts';
import ItemNewPage from './item-new-page.tsx';

function fillIn(label: string, value: string) {
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
}

describe('new item page', () => {
  beforeEach(() => signIn('editor'));

  it("Should show the API's message beside a title that is too long", async () => {
    renderPage(ItemNewPage, { url: '/items/new', path: '/items/new' });
    fillIn('Title', 'x'.repeat(201));
    fireEvent.click(screen.getByRole('button', { name: 'Create item' }));
    const title = screen.getByLabelText('Title');
    await waitFor(() => expect(title).toHaveAttribute('aria-invalid', 'true'));
    expect(title).toHaveAccessibleDescription('must be at most 200 characters');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('Should show a tag error beside Tags', async () => {
    renderPage(ItemNewPage, { url: '/items/new', path: '/items/new' });
    fillIn('Title', unique('tagged'));
    fillIn('Tags', `ok, ${'t'.repeat(51)}`);
    fireEvent.click(screen.getByRole('button', { name: 'Create item' }));
    const tags = screen.getByLabelText('Tags');
    await waitFor(() => expect(tags).toHaveAttribute('aria-invalid', 'true'));
    expect(tags).toHaveAccessibleDescription(/Tag 2: must be at most 50 characters/);
  });

  it('Should create the item with every field and open it', async () => {
    const { history } = renderPage(ItemNewPage, { url: '/items/new', path: '/items/new' });
    const title = unique('created');
    fillIn('Title', title);
    fillIn('Description', 'Written in a test');
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'in_progress' } });
    fireEvent.change(screen.getByLabelText('Priority'), { target: { value: 'urgent' } });
    fillIn('Tags', 'docs, q3 ,docs');
    fillIn('Due date', '2030-07-01');
    fireEvent.click(screen.getByRole('button', { name: 'Create item' }));
    await waitFor(() => expect(history.get()).toMatch(/^\/items\/[0-9a-f-]{36}$/));
    const item = await fetchItem(history.get().split('/').pop() ?? '');
    expect(item).toMatchObject({
      title,
      description: 'Written in a test',
      status: 'in_progress',
      priority: 'urgent',
      tags: ['docs', 'q3'],
      dueAt: '2030-07-01T00:00:00.000Z',
    });
  });
});
