import { createResource, For, Show } from 'solid-js';
import { Async, Empty } from '../../components/states.tsx';
import { api, call } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { can } from '../../lib/session.ts';
import { SettingEditor } from './setting-editor.tsx';
import { displayValue, inputFor, type Setting } from './setting-inputs.ts';
import './admin.css';

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
        fallback={<p class="alert info">Only admins can change settings; here is what is in force.</p>}
      >
        <p class="muted">Changes apply at once. Every change is recorded in the audit log.</p>
      </Show>
      <Async of={settings} retry={refetch} loading="Loading settings…">
        {(list) => (
          <Show when={list().data.length} fallback={<Empty title="There are no settings" />}>
            <Show when={can('settings:write')} fallback={<SettingsTable settings={list().data} />}>
              <ul class="settings-list">
                <For each={list().data}>{(setting) => <SettingEditor setting={setting} />}</For>
              </ul>
            </Show>
          </Show>
        )}
      </Async>
    </div>
  );
}

/** What callers who may not change settings see: the values, read-only. */
function SettingsTable(props: { settings: Setting[] }) {
  return (
    <div class="table-wrap">
      <table class="responsive-table">
        <thead>
          <tr>
            <th scope="col">Setting</th>
            <th scope="col">Value</th>
            <th scope="col">Default</th>
            <th scope="col">Changed</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.settings}>
            {(setting) => (
              <tr>
                <td data-label="Setting">
                  <div>
                    <code>{setting.key}</code>
                    <div class="muted">{setting.description}</div>
                  </div>
                </td>
                <td data-label="Value">{displayValue(setting.value, inputFor(setting))}</td>
                <td data-label="Default">{displayValue(setting.default, inputFor(setting))}</td>
                <td data-label="Changed">{setting.updatedAt ? formatDateTime(setting.updatedAt) : 'Never'}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
