import { screen } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import ItemNewPage from '../pages/items/item-new-page.tsx';
import { renderPage } from '../test/render.tsx';
import { signInAs } from '../test/setup.ts';
import { api, call } from './api.ts';
import { appName, defaultPriority, loadDisplaySettings } from './display-settings.ts';

const put = (key: 'app.name' | 'items.defaultPriority', value: string) =>
  call(api.api.v1.settings[':key'].$put({ param: { key }, json: { value } }));
const reset = (key: string) => call(api.api.v1.settings[':key'].$delete({ param: { key } }));

describe('settings the dashboard follows', () => {
  afterEach(async () => {
    await signInAs('admin');
    await reset('app.name');
    await reset('items.defaultPriority');
    await loadDisplaySettings();
  });

  it('Should name the workspace and start new items at the configured priority', async () => {
    await signInAs('admin');
    await put('app.name', 'Ops Control');
    await put('items.defaultPriority', 'urgent');
    await signInAs('viewer');
    await loadDisplaySettings();
    expect(appName()).toBe('Ops Control');
    expect(defaultPriority()).toBe('urgent');

    renderPage(ItemNewPage, { url: '/items/new' });
    expect(screen.getByLabelText('Priority')).toHaveValue('urgent');
    expect(document.title).toBe('New item · Ops Control');
  });
});
