import { fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { beforeEach, describe, expect, it } from 'vitest';
import { fieldLabel } from '../../components/rejected-rows.tsx';
import { api, call } from '../../lib/api.ts';
import { signIn, unique } from '../../test/items.ts';
import { renderPage } from '../../test/render.tsx';
import ImportPage from './import-page.tsx';

function paste(csv: string) {
  fireEvent.input(screen.getByLabelText('CSV'), { target: { value: csv } });
  fireEvent.click(screen.getByRole('button', { name: 'Start import' }));
}

describe('import page', () => {
  beforeEach(() => signIn('editor'));

  it('Should import the valid rows and list the rejected one with its reason', async () => {
    const word = unique('imported');
    renderPage(ImportPage, { url: '/items/import', path: '/items/import' });
    paste(`title,status,tags\nFirst ${word},pending,a;b\nSecond ${word},nonsense,\n`);
    const rejected = await screen.findByRole('table', { name: 'Rejected rows' }, { timeout: 15_000 });
    const rows = within(rejected).getAllByRole('row');
    expect(rows).toHaveLength(2);
    expect(
      within(rows[1] as HTMLElement)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['3', 'Status status', 'nonsense', 'must be one of pending, in_progress, done, archived']);
    expect(screen.getByText(/inserted,/)).toHaveTextContent('1 inserted, 1 rejected of 2 rows');
    // Finished, but not a plain success: the warning colour, and what to do about it.
    expect(screen.getByText('Completed with 1 rejected row')).toHaveClass('status-warning');
    expect(screen.queryByText('Succeeded')).toBeNull();
    expect(screen.getByText(/inserted,/).closest('.alert')).toHaveClass('warning');
    expect(screen.getByRole('link', { name: 'View job' }).getAttribute('href')).toMatch(/^\/jobs\/[0-9a-f-]{36}$/);
    const { data } = await call(api.api.v1.items.$get({ query: { q: word } }));
    expect(data.map((item) => [item.title, item.tags])).toEqual([[`First ${word}`, ['a', 'b']]]);
  });

  it('Should show why a file cannot be read beside the CSV, and start no job', async () => {
    renderPage(ImportPage, { url: '/items/import', path: '/items/import' });
    paste('title,colour\nA,red\n');
    const csv = screen.getByLabelText('CSV');
    await waitFor(() => expect(csv).toHaveAttribute('aria-invalid', 'true'));
    expect(csv).toHaveAccessibleDescription(/unknown column "colour".*\(header\)/);
    expect(screen.queryByRole('link', { name: 'View job' })).toBeNull();
  });

  it('Should ask for a file or text before sending anything', async () => {
    renderPage(ImportPage, { url: '/items/import', path: '/items/import' });
    fireEvent.click(screen.getByRole('button', { name: 'Start import' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Choose a file or paste CSV text');
  });

  it('Should send a chosen JSON file as JSON', async () => {
    const word = unique('from-json');
    renderPage(ImportPage, { url: '/items/import', path: '/items/import' });
    const file = new File([JSON.stringify([{ title: `Json ${word}`, priority: 'low' }])], 'items.json', {
      type: 'application/json',
    });
    fireEvent.change(screen.getByLabelText('File'), { target: { files: [file] } });
    fireEvent.click(screen.getByRole('button', { name: 'Start import' }));
    expect(await screen.findByText(/inserted,/, {}, { timeout: 15_000 })).toHaveTextContent(
      '1 inserted, 0 rejected of 1 row.',
    );
    expect(screen.getByText('Succeeded')).toBeInTheDocument();
    expect(screen.getByText(/inserted,/).closest('.alert')).toBeNull();
    expect(screen.queryByRole('table', { name: 'Rejected rows' })).toBeNull();
  });

  it('Should name fields in words: a tag by its position, a whole row as such', () => {
    expect(fieldLabel('tags.1')).toBe('Tags, tag 2');
    expect(fieldLabel('dueAt')).toBe('Due date');
    expect(fieldLabel('(row)')).toBe('Whole row');
    expect(fieldLabel('colour')).toBe('colour');
  });
});
