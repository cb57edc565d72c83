import { createEffect, createSignal, type JSX, on } from 'solid-js';
import { createStore } from 'solid-js/store';
import { ChoiceOptions } from '../../components/choice-options.tsx';
import { Field, FormError } from '../../components/field.tsx';
import { ApiProblem } from '../../lib/api.ts';
import { defaultPriority } from '../../lib/display-settings.ts';
import { ITEM_PRIORITIES, ITEM_STATUSES, type Item, type ItemBody } from './item-data.ts';

type Values = { title: string; description: string; status: string; priority: string; tags: string; due: string };
const FIELDS = ['title', 'description', 'status', 'priority', 'tags', 'dueAt'] as const;

function valuesOf(item?: Item): Values {
  return {
    title: item?.title ?? '',
    description: item?.description ?? '',
    status: item?.status ?? 'pending',
    priority: item?.priority ?? defaultPriority(),
    tags: item?.tags.join(', ') ?? '',
    // Due dates are whole days stored at 00:00 UTC, so the UTC date is the one that was chosen.
    due: item?.dueAt?.slice(0, 10) ?? '',
  };
}

/** The form's values as the API takes them; validation is the API's, so its messages are the ones shown. */
export function toBody(values: Values): ItemBody {
  return {
    title: values.title,
    description: values.description.trim() ? values.description : null,
    status: values.status as ItemBody['status'],
    priority: values.priority as ItemBody['priority'],
    tags: values.tags
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean),
    dueAt: values.due ? `${values.due}T00:00:00.000Z` : null,
  };
}

/**
 * The fields of `body` that differ from `item`: an edit sends only those, so a save
 * without changes makes no new version, and fields the user left alone keep whatever
 * someone else saved meanwhile (and a due time not at midnight survives).
 */
export function changesTo(item: Item, body: ItemBody): Partial<ItemBody> {
  const before: Record<string, unknown> = toBody(valuesOf(item));
  return Object.fromEntries(
    Object.entries(body).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(before[key])),
  );
}

/**
 * The item form for create and edit. `onSave` throws an ApiProblem to show; field errors
 * (`tags.0` counts as Tags) go beside their fields, the rest above the form. A new
 * `item` resets the form to it (after a save, or when the latest version is loaded).
 */
export function ItemForm(props: {
  item?: Item;
  submitLabel: string;
  onSave: (body: ItemBody) => Promise<void>;
  /** Told whether the form holds edits not saved yet (changes to `item`). */
  onDirty?: (dirty: boolean) => void;
  children?: JSX.Element;
}) {
  const [values, setValues] = createStore<Values>(valuesOf(props.item));
  const [fields, setFields] = createSignal<Record<string, string>>({});
  const [error, setError] = createSignal<string>();
  const [saving, setSaving] = createSignal(false);
  let formRef: HTMLFormElement | undefined;
  createEffect(
    on(
      () => props.item,
      (item) => setValues(valuesOf(item)),
      { defer: true },
    ),
  );

  createEffect(() => {
    const item = props.item;
    if (item && props.onDirty) props.onDirty(Object.keys(changesTo(item, toBody(values))).length > 0);
  });

  const showProblem = (problem: ApiProblem) => {
    const byField: Record<string, string> = {};
    const other: string[] = [];
    for (const [path, message] of Object.entries(problem.fieldErrors())) {
      const field = FIELDS.find((name) => path === name || path.startsWith(`${name}.`));
      // `tags.1` is the second tag: say which one, since they all share one input.
      const index = /^tags\.(\d+)$/.exec(path)?.[1];
      if (field) byField[field] ??= index ? `Tag ${Number(index) + 1}: ${message}` : message;
      else other.push(`${path}: ${message}`);
    }
    setFields(byField);
    if (other.length || !Object.keys(byField).length) setError([problem.message, ...other].join(' '));
    // Take the keyboard to the first field that needs attention.
    queueMicrotask(() => formRef?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(undefined);
    setFields({});
    try {
      await props.onSave(toBody(values));
    } catch (err) {
      showProblem(err instanceof ApiProblem ? err : new ApiProblem(0));
    } finally {
      setSaving(false);
    }
  };

  // A getter, so the control follows the store when the form is reset.
  const text = (key: keyof Values) => ({
    get value() {
      return values[key];
    },
    onInput: (e: InputEvent & { currentTarget: HTMLInputElement | HTMLTextAreaElement }) =>
      setValues(key, e.currentTarget.value),
  });
  const choose = (key: 'status' | 'priority') => (e: Event & { currentTarget: HTMLSelectElement }) =>
    setValues(key, e.currentTarget.value);

  return (
    <form class="form card item-form" ref={formRef} onSubmit={submit} novalidate>
      <FormError message={error()} />
      <Field label="Title" name="title" error={fields().title}>
        {(control) => <input {...control} {...text('title')} required maxLength={200} />}
      </Field>
      <Field label="Description" name="description" error={fields().description}>
        {(control) => <textarea {...control} {...text('description')} rows={4} />}
      </Field>
      <div class="form-row">
        <Field label="Status" name="status" error={fields().status}>
          {(control) => (
            <select {...control} onChange={choose('status')}>
              <ChoiceOptions of={ITEM_STATUSES} selected={values.status} />
            </select>
          )}
        </Field>
        <Field label="Priority" name="priority" error={fields().priority}>
          {(control) => (
            <select {...control} onChange={choose('priority')}>
              <ChoiceOptions of={ITEM_PRIORITIES} selected={values.priority} />
            </select>
          )}
        </Field>
        <Field label="Due date" name="dueAt" error={fields().dueAt}>
          {(control) => <input {...control} {...text('due')} type="date" />}
        </Field>
      </div>
      <Field label="Tags" name="tags" error={fields().tags} hint="Separate tags with commas, e.g. docs, q3.">
        {(control) => <input {...control} {...text('tags')} autocomplete="off" />}
      </Field>
      <div class="actions">
        <button type="submit" class="button primary" disabled={saving()}>
          {saving() ? 'Saving…' : props.submitLabel}
        </button>
        {props.children}
      </div>
    </form>
  );
}
