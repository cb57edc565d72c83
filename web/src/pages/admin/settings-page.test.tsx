import { fireEvent, render as mount, screen, waitFor, within } from '@solidjs/testing-library';
import { beforeEach, describe, expect, it } from 'vitest';
import { Notices } from '../../components/notices.tsx';
import { api, call } from '../../lib/api.ts';
import { loadSession } from '../../lib/session.ts';
import { renderPage } from '../../test/render.tsx';
import { signInAs } from '../../test/setup.ts';
import SettingsPage from './settings-page.tsx';

// Retention only matters to the daily cleanup, so changing it briefly affects no other test.
const KEY = 'retention.finishedJobsDays';

function render() {
  mount(() => <Notices />);
  return renderPage(SettingsPage, { url: '/admin/settings', path: '/admin/settings' });
}

async function current(key: string) {
  const { data } = await call(api.api.v1.settings.$get());
  const setting = data.find((s) => s.key === key);
  if (!setting) throw new Error(`no setting ${key}`);
  return setting;
}

describe('settings page', () => {
  beforeEach(async () => {
    await signInAs('admin');
    await loadSession();
  });

  it('Should render an input matching each type', async () => {
    render();
    const priority = await screen.findByLabelText('items.defaultPriority');
    expect(priority.tagName).toBe('SELECT');
    expect(screen.getByLabelText('app.name')).toHaveAttribute('type', 'text');
    expect(screen.getByLabelText(KEY)).toHaveAttribute('type', 'number');
    expect(screen.getByLabelText(KEY)).toHaveAttribute('min', '1');
    expect(screen.getByLabelText(KEY)).toHaveAttribute('max', '36500');
    expect([...(priority as HTMLSelectElement).options].map((o) => o.value)).toEqual([
      'low',
      'medium',
      'high',
      'urgent',
    ]);
    expect(screen.getByLabelText('app.name')).toHaveAttribute('maxlength', '80');
  });

  it('Should save a setting, then reset it to its default', async () => {
    const before = await current(KEY);
    const changed = Number(before.default) + 7;
    render();
    try {
      const input = await screen.findByLabelText(KEY);
      fireEvent.input(input, { target: { value: String(changed) } });
      fireEvent.click(screen.getByRole('button', { name: `Save ${KEY}` }));
      expect(await screen.findByText(`Saved ${KEY}.`)).toBeInTheDocument();
      expect((await current(KEY)).value).toBe(changed);

      fireEvent.click(await screen.findByRole('button', { name: `Reset to default ${KEY}` }));
      expect(await screen.findByText(`${KEY} is back to its default.`)).toBeInTheDocument();
      expect(input).toHaveValue(Number(before.default));
      await waitFor(() => expect(input).toHaveFocus());
      expect(screen.queryByRole('button', { name: `Reset to default ${KEY}` })).toBeNull();
      expect(await current(KEY)).toMatchObject({ value: before.default, set: false });
    } finally {
      await api.api.v1.settings[':key'].$delete({ param: { key: KEY } });
    }
  });

  it('Should show the API field error beside the input and store nothing', async () => {
    render();
    const input = await screen.findByLabelText(KEY);
    fireEvent.input(input, { target: { value: '0' } });
    fireEvent.click(screen.getByRole('button', { name: `Save ${KEY}` }));
    await waitFor(() => expect(input).toHaveAttribute('aria-invalid', 'true'));
    expect(input).toHaveAccessibleDescription(/must be at least 1/);
    expect((await current(KEY)).set).toBe(false);
  });

  it('Should show a viewer the values read-only, without inputs or buttons', async () => {
    await signInAs('viewer');
    await loadSession();
    const page = within(render().container);
    expect(await page.findByRole('cell', { name: /items\.defaultPriority/ })).toBeInTheDocument();
    expect(screen.getByText(/Only admins can change settings/)).toBeInTheDocument();
    for (const role of ['textbox', 'spinbutton', 'combobox', 'checkbox', 'button'] as const) {
      expect(page.queryAllByRole(role)).toHaveLength(0);
    }
  });
});
