import { createSignal, Show } from 'solid-js';
import { Field, FormError } from '../../components/field.tsx';
import { notify } from '../../components/notices.tsx';
import { api, call } from '../../lib/api.ts';
import { loadDisplaySettings } from '../../lib/display-settings.ts';
import { formatRelative } from '../../lib/format.ts';
import { createFormState } from './form-state.ts';
import { SettingControl } from './setting-control.tsx';
import { displayValue, inputFor, isDefault, readValue, type Setting } from './setting-inputs.ts';

/** One setting with an input matching its type, Save, and Reset to default once it differs. */
export function SettingEditor(props: { setting: Setting }) {
  const [setting, setSetting] = createSignal(props.setting);
  const form = createFormState(['value']);
  const input = () => inputFor(setting());
  const key = () => setting().key;
  let control: HTMLInputElement | HTMLSelectElement | undefined;

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    if (!control) return;
    const value = readValue(control, input());
    const saved = await form.run(
      () => call(api.api.v1.settings[':key'].$put({ param: { key: key() }, json: { value } })),
      event.currentTarget as HTMLElement,
    );
    if (!saved) return;
    setSetting(saved);
    notify(`Saved ${key()}.`);
    void loadDisplaySettings();
  };

  const reset = async () => {
    const done = await form.run(() =>
      call(api.api.v1.settings[':key'].$delete({ param: { key: key() } })).then(() => true),
    );
    if (!done) return;
    setSetting((s) => ({ ...s, value: s.default, set: false, updatedAt: null, updatedBy: null }));
    notify(`${key()} is back to its default.`);
    void loadDisplaySettings();
    // The reset button is gone: the input it changed is the natural place to be.
    control?.focus();
  };

  return (
    <li class="card setting">
      <form onSubmit={save} novalidate>
        <FormError message={form.error()} />
        <Field
          label={key()}
          name="value"
          error={form.fields().value}
          hint={`${setting().description} Default: ${displayValue(setting().default, input())}.`}
        >
          {(field) => (
            <SettingControl field={field} input={input()} value={setting().value} ref={(el) => (control = el)} />
          )}
        </Field>
        <div class="actions">
          <button type="submit" class="button primary" disabled={form.busy()}>
            Save <span class="visually-hidden">{key()}</span>
          </button>
          <Show when={!isDefault(setting())}>
            <button type="button" class="button" disabled={form.busy()} onClick={reset}>
              Reset to default <span class="visually-hidden">{key()}</span>
            </button>
          </Show>
        </div>
      </form>
      <Show when={setting().updatedAt}>
        <p class="muted setting-meta">Changed {formatRelative(setting().updatedAt)}</p>
      </Show>
    </li>
  );
}
