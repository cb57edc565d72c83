import { createResource, Show } from 'solid-js';
import { type Column, DataTable } from '../../components/data-table.tsx';
import { Async, Empty } from '../../components/states.tsx';
import { api, call } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { can } from '../../lib/session.ts';
import { displayValue, inputFor, type Setting } from './setting-inputs.ts';
import { SettingsForm } from './settings-form.tsx';
import './admin.css';

/** What callers who may not change settings see: the values in force, read-only. */
const COLUMNS: Column<Setting>[] = [
  {
    label: 'Setting',
    cell: (setting) => (
      <div>
        {setting.label} <code class="setting-key">{setting.key}</code>
        <div class="muted">{setting.description}</div>
      </div>
    ),
  },
  { label: 'Value', cell: (setting) => displayValue(setting.value, inputFor(setting)) },
  { label: 'Default', cell: (setting) => displayValue(setting.default, inputFor(setting)) },
  { label: 'Changed', cell: (setting) => (setting.updatedAt ? formatDateTime(setting.updatedAt) : 'Never') },
];

export default function SettingsPage() {
  usePageTitle(() => 'Settings');
  const [settings, { refetch }] = createResource(() => call(api.api.v1.settings.$get()));

  return (
    <div class="admin-page">
      <header class="page-header">
        <h1>Settings</h1>
      </header>
      <Show
        when={can('settings:write')}
        fallback={
          <p class="alert info">
            Changing settings is not available to your role; these are the values in force. Admins can change them.
          </p>
        }
      >
        <p class="muted">Saved changes apply at once. Every change is recorded in the audit log.</p>
      </Show>
      <Async of={settings} retry={refetch} loading="Loading settings…">
        {(list) => (
          <Show when={list().data.length} fallback={<Empty title="There are no settings" />}>
            <Show when={can('settings:write')} fallback={<DataTable columns={COLUMNS} rows={list().data} />}>
              <SettingsForm settings={list().data} />
            </Show>
          </Show>
        )}
      </Async>
    </div>
  );
}
