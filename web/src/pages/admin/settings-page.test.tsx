import { fireEvent, render as mount, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Notices } from '../../components/notices.tsx';
import { api, call } from '../../lib/api.ts';
import { loadSession } from '../../lib/session.ts';
import { renderPage } from '../../test/render.tsx';
import { signInAs } from '../../test/setup.ts';
import SettingsPage from './settings-page.tsx';

// Retention only matters to the daily cleanup, so changing it briefly affects no other test.
const JOBS = 'retention.finishedJobsDays';
const DELETED = 'retention.deletedItemsDays';
const JOBS_LABEL = 'Keep finished jobs for (days)';
const DELETED_LABEL = 'Keep deleted items for (days)';

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

const save = () => fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));

describe('settings page', () => {
  beforeEach(async () => {
    await signInAs('admin');
    await loadSession();
  });
  afterEach(async () => {
    await signInAs('admin');
    for (const key of [JOBS, DELETED]) await api.api.v1.settings[':key'].$delete({ param: { key } });
  });

  it('Should label each setting in words, keep its key in sight and render an input matching its type', async () => {
    render();
    const priority = await screen.findByLabelText('Default priority of new items');
    expect(priority.tagName).toBe('SELECT');
    expect(priority).toHaveAccessibleDescription(/items\.defaultPriority/);
    expect(screen.getByLabelText('Workspace name')).toHaveAttribute('type', 'text');
    expect(screen.getByLabelText('Workspace name')).toHaveAttribute('maxlength', '80');
    expect(screen.getByLabelText(JOBS_LABEL)).toHaveAttribute('type', 'number');
    expect(screen.getByLabelText(JOBS_LABEL)).toHaveAttribute('min', '1');
    expect(screen.getByLabelText(JOBS_LABEL)).toHaveAttribute('max', '36500');
    expect([...(priority as HTMLSelectElement).options].map((o) => o.value)).toEqual([
      'low',
      'medium',
      'high',
      'urgent',
    ]);
    // One form, one Save.
    expect(screen.getAllByRole('button', { name: /^Save/ })).toHaveLength(1);
  });

  it('Should save every changed setting with the one Save, and say which differ from their default', async () => {
    const jobs = await current(JOBS);
    const deleted = await current(DELETED);
    render();
    const jobsInput = await screen.findByLabelText(JOBS_LABEL);
    expect(jobsInput).not.toHaveAccessibleDescription(/Changed from default/);
    fireEvent.input(jobsInput, { target: { value: String(Number(jobs.default) + 7) } });
    fireEvent.input(screen.getByLabelText(DELETED_LABEL), { target: { value: String(Number(deleted.default) + 1) } });
    expect(jobsInput).toHaveAccessibleDescription(
      `${jobs.description} ${JOBS} Changed from default (default: ${jobs.default}).`,
    );
    expect(screen.getByText('2 unsaved changes')).toBeInTheDocument();
    save();
    expect(await screen.findByText('Saved 2 settings.')).toBeInTheDocument();
    expect((await current(JOBS)).value).toBe(Number(jobs.default) + 7);
    expect((await current(DELETED)).value).toBe(Number(deleted.default) + 1);
    expect(screen.queryByText(/unsaved change/)).toBeNull();
  });

  it('Should put a setting back to its default and unset it on Save', async () => {
    const jobs = await current(JOBS);
    await call(api.api.v1.settings[':key'].$put({ param: { key: JOBS }, json: { value: Number(jobs.default) + 3 } }));
    render();
    const input = await screen.findByLabelText(JOBS_LABEL);
    expect(input).toHaveAccessibleDescription(/Changed from default/);
    fireEvent.click(screen.getByRole('button', { name: `Use default for ${JOBS_LABEL}` }));
    expect(input).toHaveValue(Number(jobs.default));
    expect(input).not.toHaveAccessibleDescription(/Changed from default/);
    save();
    expect(await screen.findByText('Saved 1 setting.')).toBeInTheDocument();
    expect(await current(JOBS)).toMatchObject({ value: jobs.default, set: false });
  });

  it('Should show the API field error beside its input, store that one not, and save the others', async () => {
    const deleted = await current(DELETED);
    render();
    const input = await screen.findByLabelText(JOBS_LABEL);
    fireEvent.input(input, { target: { value: '0' } });
    fireEvent.input(screen.getByLabelText(DELETED_LABEL), { target: { value: String(Number(deleted.default) + 2) } });
    save();
    await waitFor(() => expect(input).toHaveAttribute('aria-invalid', 'true'));
    expect(input).toHaveAccessibleDescription(/must be at least 1/);
    expect(screen.getByRole('alert')).toHaveTextContent('1 setting could not be saved');
    expect((await current(JOBS)).set).toBe(false);
    expect((await current(DELETED)).value).toBe(Number(deleted.default) + 2);
    await waitFor(() => expect(input).toHaveFocus());
  });

  it('Should show a viewer the values read-only, without inputs or buttons', async () => {
    await signInAs('viewer');
    await loadSession();
    const page = within(render().container);
    expect(await page.findByRole('cell', { name: /Default priority of new items/ })).toBeInTheDocument();
    expect(screen.getByText(/Changing settings is not available to your role/)).toBeInTheDocument();
    for (const role of ['textbox', 'spinbutton', 'combobox', 'checkbox', 'button'] as const) {
      expect(page.queryAllByRole(role)).toHaveLength(0);
    }
  });
});
