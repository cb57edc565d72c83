import { For, onCleanup } from 'solid-js';
import { ChoiceOptions } from '../../components/choice-options.tsx';
import { type ControlProps, Field } from '../../components/field.tsx';
import { ITEM_PRIORITIES, ITEM_STATUSES } from './item-data.ts';

/** The API's sort keys, each ascending or (`-`) descending, in words. */
export const SORT_OPTIONS = [
  ['-created', 'Newest first'],
  ['created', 'Oldest first'],
  ['-updated', 'Recently updated'],
  ['updated', 'Least recently updated'],
  ['due', 'Due soonest'],
  ['-due', 'Due latest'],
  ['-priority', 'Highest priority'],
  ['priority', 'Lowest priority'],
] as const;
export const DEFAULT_SORT = '-created';
export const DEBOUNCE_MS = 300;

export type Filters = {
  q?: string;
  status?: string;
  priority?: string;
  tag?: string;
  sort?: string;
};

type Change = (patch: Filters, options?: { replace?: boolean }) => void;

/** Search, filters and sort of the item list; the page keeps them in the URL. */
export function ItemFilters(props: { values: Filters; onChange: Change }) {
  const pick = (key: keyof Filters) => (e: Event & { currentTarget: HTMLSelectElement }) =>
    props.onChange({ [key]: e.currentTarget.value || undefined });
  return (
    <search class="filters item-filters" aria-label="Filter items">
      <Field label="Search" name="q">
        {(control) => (
          <SettlingInput
            control={control}
            type="search"
            maxLength={200}
            value={props.values.q}
            onSettle={(q) => props.onChange({ q }, { replace: true })}
          />
        )}
      </Field>
      <Field label="Status" name="status">
        {(control) => (
          <select {...control} onChange={pick('status')}>
            <ChoiceOptions of={ITEM_STATUSES} selected={props.values.status} any="Any status" />
          </select>
        )}
      </Field>
      <Field label="Priority" name="priority">
        {(control) => (
          <select {...control} onChange={pick('priority')}>
            <ChoiceOptions of={ITEM_PRIORITIES} selected={props.values.priority} any="Any priority" />
          </select>
        )}
      </Field>
      <Field label="Tag" name="tag">
        {(control) => (
          <SettlingInput
            control={control}
            maxLength={50}
            value={props.values.tag}
            onSettle={(tag) => props.onChange({ tag }, { replace: true })}
          />
        )}
      </Field>
      <Field label="Sort" name="sort">
        {(control) => (
          <select {...control} onChange={pick('sort')}>
            <For each={SORT_OPTIONS}>
              {([value, label]) => (
                <option value={value} selected={value === (props.values.sort ?? DEFAULT_SORT)}>
                  {label}
                </option>
              )}
            </For>
          </select>
        )}
      </Field>
    </search>
  );
}

/**
 * A text input that reports its value once typing pauses, so a search does not run per
 * keystroke. The value is passed on untrimmed: trimming it would rewrite the input under
 * the user's cursor ("foo " → "foo") before the next word is typed.
 */
function SettlingInput(props: {
  control: ControlProps;
  type?: string;
  maxLength: number;
  value: string | undefined;
  onSettle: (value: string | undefined) => void;
}) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  return (
    <input
      {...props.control}
      type={props.type ?? 'text'}
      maxLength={props.maxLength}
      autocomplete="off"
      value={props.value ?? ''}
      onInput={(e) => {
        const value = e.currentTarget.value;
        clearTimeout(timer);
        timer = setTimeout(() => props.onSettle(value || undefined), DEBOUNCE_MS);
      }}
    />
  );
}
