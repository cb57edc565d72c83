import { createSignal, For, Show } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { Field, FormError } from '../../components/field.tsx';
import { notify } from '../../components/notices.tsx';
import { ApiProblem, api, call } from '../../lib/api.ts';
import { loadDisplaySettings } from '../../lib/display-settings.ts';
import { countOf } from '../../lib/format.ts';
import { SettingControl } from './setting-control.tsx';
import { displayValue, inputFor, type Setting, sameValue } from './setting-inputs.ts';

/**
 * Every setting in one form with one Save. Save sends only what changed: a value back at
 * its default is unset (so it follows the default from then on), any other is stored.
 * Each setting's problem shows beside it; the ones that passed are saved regardless.
 */
export function SettingsForm(props: { settings: Setting[] }) {
  const [saved, setSaved] = createStore<Setting[]>(structuredClone(props.settings));
  const [values, setValues] = createStore<Record<string, unknown>>(
    Object.fromEntries(props.settings.map((s) => [s.key, s.value])),
  );
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  let formRef: HTMLFormElement | undefined;

  const changed = () => saved.filter((s) => !sameValue(values[s.key], s.value));

  const send = async (setting: Setting): Promise<Setting> => {
    const value = values[setting.key];
    if (sameValue(value, setting.default)) {
      await call(api.api.v1.settings[':key'].$delete({ param: { key: setting.key } }));
      return { ...setting, value: setting.default, set: false, updatedAt: null, updatedBy: null };
    }
    return call(api.api.v1.settings[':key'].$put({ param: { key: setting.key }, json: { value } }));
  };

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const pending = changed();
    setErrors({});
    setError(undefined);
    if (!pending.length) {
      notify('Nothing to save: no setting was changed.', 'info');
      return;
    }
    setBusy(true);
    const outcomes = await Promise.allSettled(pending.map(send));
    setBusy(false);
    const failed: Record<string, string> = {};
    outcomes.forEach((outcome, i) => {
      const key = pending[i]?.key as string;
      if (outcome.status === 'fulfilled') {
        setSaved((s) => s.key === key, reconcile(outcome.value));
        setValues(key, outcome.value.value);
      } else {
        const problem = outcome.reason instanceof ApiProblem ? outcome.reason : new ApiProblem(0);
        failed[key] = problem.fieldErrors().value ?? problem.message;
      }
    });
    const done = pending.length - Object.keys(failed).length;
    setErrors(failed);
    if (done) {
      notify(`Saved ${countOf(done, 'setting')}.`);
      void loadDisplaySettings();
    }
    if (Object.keys(failed).length) {
      setError(
        `${countOf(Object.keys(failed).length, 'setting')} could not be saved; see the message beside it.` +
          (done ? ' The others were saved.' : ''),
      );
      queueMicrotask(() => formRef?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
    }
  };

  return (
    <form class="card form settings-form" ref={formRef} onSubmit={save} novalidate>
      <FormError message={error()} />
      <For each={saved}>
        {(setting) => {
          const input = inputFor(setting);
          const atDefault = () => sameValue(values[setting.key], setting.default);
          return (
            <div class="setting">
              <Field
                label={setting.label}
                name={setting.key}
                error={errors()[setting.key]}
                hint={
                  <>
                    {setting.description} <code class="setting-key">{setting.key}</code>
                    <Show when={!atDefault()}>
                      {' '}
                      <span class="setting-changed">
                        Changed from default (default: {displayValue(setting.default, input)}).
                      </span>
                    </Show>
                  </>
                }
              >
                {(field) => (
                  <div class="setting-control">
                    <SettingControl
                      field={field}
                      input={input}
                      value={values[setting.key]}
                      onChange={(value) => setValues(setting.key, value)}
                    />
                    <Show when={!atDefault()}>
                      <button
                        type="button"
                        class="button ghost small"
                        onClick={() => setValues(setting.key, setting.default)}
                      >
                        Use default <span class="visually-hidden">for {setting.label}</span>
                      </button>
                    </Show>
                  </div>
                )}
              </Field>
            </div>
          );
        }}
      </For>
      <div class="actions">
        <button type="submit" class="button primary" disabled={busy()}>
          {busy() ? 'Saving…' : 'Save settings'}
        </button>
        <Show when={changed().length}>
          <span class="muted" aria-live="polite">
            {countOf(changed().length, 'unsaved change')}
          </span>
        </Show>
      </div>
    </form>
  );
}
