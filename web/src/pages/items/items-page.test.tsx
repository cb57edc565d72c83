import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { beforeEach, describe, expect, it } from 'vitest';
import { createItem, signIn, unique } from '../../test/items.ts';
import { renderPage } from '../../test/render.tsx';
import { deadlineOf, isOverdue } from './item-data.ts';
import ItemsPage from './items-page.tsx';

describe('items page', () => {
  beforeEach(() => signIn('editor'));

  it('Should show only the items the search in the URL matches', async () => {
    const word = unique('listed');
    await createItem({ title: `Probe ${word}`, tags: ['probe'], priority: 'high' });
    renderPage(ItemsPage, { url: `/items?q=${word}`, path: '/items' });
    const link = await screen.findByRole('link', { name: `Probe ${word}` });
    const table = screen.getByRole('table', { name: 'Items' });
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    expect(link.closest('tr')).toHaveTextContent('High');
    expect(screen.getByLabelText('Search')).toHaveValue(word);
    expect(screen.getByRole('link', { name: 'New item' })).toHaveAttribute('href', '/items/new');
  });

  it('Should say when filters match nothing, and clear them', async () => {
    const { history } = renderPage(ItemsPage, { url: `/items?q=${unique('nothing')}&status=done`, path: '/items' });
    expect(await screen.findByRole('heading', { name: 'No items match these filters' })).toBeInTheDocument();
    expect(screen.getByLabelText('Status')).toHaveValue('done');
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(history.get()).toBe('/items'));
    expect(await screen.findByRole('table', { name: 'Items' })).toBeInTheDocument();
  });

  it('Should put a typed search and a chosen filter in the URL, starting from the first page', async () => {
    const word = unique('typed');
    await createItem({ title: `Typed ${word}`, status: 'pending' });
    const { history } = renderPage(ItemsPage, { url: '/items?cursor=abc', path: '/items' });
    fireEvent.input(await screen.findByLabelText('Search'), { target: { value: word } });
    await waitFor(() => expect(history.get()).toBe(`/items?q=${word}`));
    expect(await screen.findByRole('link', { name: `Typed ${word}` })).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'done' } });
    await waitFor(() => expect(history.get()).toBe(`/items?q=${word}&status=done`));
    expect(await screen.findByRole('heading', { name: 'No items match these filters' })).toBeInTheDocument();
  });

  it('Should keep the sort in the URL', async () => {
    const { history } = renderPage(ItemsPage, { url: '/items', path: '/items' });
    await screen.findByRole('table', { name: 'Items' });
    fireEvent.change(screen.getByLabelText('Sort'), { target: { value: '-priority' } });
    await waitFor(() => expect(history.get()).toBe('/items?sort=-priority'));
    await waitFor(() => expect(screen.getAllByRole('row')[1]).toHaveTextContent('Urgent'));
    expect(screen.getByLabelText('Sort')).toHaveValue('-priority');
  });

  it('Should offer viewers no way to create or import', async () => {
    await signIn('viewer');
    renderPage(ItemsPage, { url: '/items', path: '/items' });
    await screen.findByRole('table', { name: 'Items' });
    expect(screen.queryByRole('link', { name: 'New item' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Import' })).toBeNull();
  });

  it('Should go back a page along the cursors it came by, counting the items of every page', async () => {
    const tag = unique('paged');
    for (let i = 0; i < 23; i++) await createItem({ title: `Paged ${i} ${tag}`, tags: [tag] });
    const { history } = renderPage(ItemsPage, { url: `/items?tag=${tag}`, path: '/items' });
    const pager = await screen.findByRole('navigation', { name: 'Pagination' });
    await waitFor(() => expect(pager).toHaveTextContent('Items 1–20 of 23'));
    expect(within(pager).queryByRole('button', { name: 'Previous page' })).toBeNull();

    fireEvent.click(within(pager).getByRole('button', { name: 'Next page' }));
    await waitFor(() =>
      expect(screen.getByRole('navigation', { name: 'Pagination' })).toHaveTextContent('Items 21–23 of 23'),
    );
    expect(history.get()).toContain('cursor=');
    expect(screen.getByRole('link', { name: `Paged 0 ${tag}` })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();

    fireEvent.click(screen.getByRole('button', { name: 'Previous page' }));
    await waitFor(() =>
      expect(screen.getByRole('navigation', { name: 'Pagination' })).toHaveTextContent('Items 1–20 of 23'),
    );
    expect(history.get()).toBe(`/items?tag=${tag}`);
    expect(screen.getByRole('link', { name: `Paged 22 ${tag}` })).toBeInTheDocument();
  });

  it('Should flag an open item past its due date as overdue, and a done one not', async () => {
    const tag = unique('due');
    await createItem({ title: `Late ${tag}`, tags: [tag], status: 'in_progress', dueAt: '2020-01-01T00:00:00.000Z' });
    await createItem({ title: `Finished ${tag}`, tags: [tag], status: 'done', dueAt: '2020-01-01T00:00:00.000Z' });
    await createItem({ title: `Later ${tag}`, tags: [tag], status: 'pending', dueAt: '2099-01-01T00:00:00.000Z' });
    renderPage(ItemsPage, { url: `/items?tag=${tag}`, path: '/items' });
    const row = async (title: string) =>
      (await screen.findByRole('link', { name: title })).closest('tr') as HTMLElement;
    expect(within(await row(`Late ${tag}`)).getByText('Overdue')).toBeInTheDocument();
    expect(within(await row(`Finished ${tag}`)).queryByText('Overdue')).toBeNull();
    expect(within(await row(`Later ${tag}`)).queryByText('Overdue')).toBeNull();
  });

  it("Should show each item's owner by name", async () => {
    const item = await createItem({ title: unique('owned') });
    renderPage(ItemsPage, { url: `/items?q=${item.title}`, path: '/items' });
    const row = (await screen.findByRole('link', { name: item.title })).closest('tr') as HTMLElement;
    // Items made by a signed-in user are theirs.
    const owner = await within(row).findByText('Eddie Editor');
    expect(owner.closest('[title]')).toHaveAttribute('title', 'editor@edgeplane.local');
  });

  it('Should count a due day as due until that day ends', () => {
    const day = '2030-03-04T00:00:00.000Z';
    expect(deadlineOf(day)).toBe(Date.parse('2030-03-05T00:00:00.000Z'));
    expect(isOverdue({ dueAt: day, status: 'pending' }, Date.parse('2030-03-04T23:00:00Z'))).toBe(false);
    expect(isOverdue({ dueAt: day, status: 'pending' }, Date.parse('2030-03-05T00:00:01Z'))).toBe(true);
    expect(
      isOverdue({ dueAt: '2030-03-04T12:00:00.000Z', status: 'pending' }, Date.parse('2030-03-04T13:00:00Z')),
    ).toBe(true);
    expect(isOverdue({ dueAt: day, status: 'archived' }, Date.parse('2031-01-01T00:00:00Z'))).toBe(false);
    expect(isOverdue({ dueAt: null, status: 'pending' })).toBe(false);
  });
});
