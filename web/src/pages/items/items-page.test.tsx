import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { beforeEach, describe, expect, it } from 'vitest';
import { createItem, signIn, unique } from '../../test/items.ts';
import { renderPage } from '../../test/render.tsx';
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
});
