import { screen, within } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { allows } from '../../../vocabulary/permissions.ts';
import { PAGES } from '../routes.ts';
import { renderPage } from '../test/render.tsx';
import { signInAs } from '../test/setup.ts';
import { guarded } from './role-gate.tsx';

/** A URL for a route path (`:id` filled in). */
const urlOf = (path: string) => path.replace(':id', crypto.randomUUID()).replace('*404', 'nowhere');
/** Form controls other than links: what a page the role may not use must not offer. */
const CONTROLS = 'input, select, textarea, button';

describe('pages behind their permission', () => {
  const closedToViewers = PAGES.filter((page) => !allows('viewer', page.permission));

  it('Should close the admin pages, the audit log and the item editors to viewers', () => {
    expect(closedToViewers.map((page) => page.path)).toEqual([
      '/items/new',
      '/items/import',
      '/audit',
      '/admin/users',
      '/admin/api-keys',
      '/admin/webhooks',
    ]);
  });

  for (const page of closedToViewers) {
    it(`Should show a viewer on ${page.path} one "not available" state and no controls`, async () => {
      await signInAs('viewer');
      const { container } = renderPage(guarded(page), { url: urlOf(page.path), path: page.path });
      expect(screen.getByRole('heading', { level: 1, name: page.title })).toBeInTheDocument();
      const state = screen.getByRole('region', { name: 'Not available to your role' });
      expect(state).toHaveTextContent(/you are signed in as viewer/);
      expect(container.querySelectorAll(CONTROLS)).toHaveLength(0);
      expect(within(state).getByRole('link', { name: 'Back to the overview' })).toHaveAttribute('href', '/');
    });
  }

  it('Should name the least role that may use the page', async () => {
    await signInAs('viewer');
    const page = PAGES.find((p) => p.path === '/items/new');
    if (!page) throw new Error('no /items/new');
    renderPage(guarded(page), { url: '/items/new', path: page.path });
    expect(screen.getByRole('region', { name: 'Not available to your role' })).toHaveTextContent(
      'The New item page needs the editor role or higher',
    );
  });

  it('Should load the page itself for a role that may use it', async () => {
    await signInAs('admin');
    const page = PAGES.find((p) => p.path === '/admin/users');
    if (!page) throw new Error('no /admin/users');
    renderPage(guarded(page), { url: '/admin/users', path: page.path });
    expect(await screen.findByRole('button', { name: 'Invite user' })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Not available to your role' })).toBeNull();
  });
});
