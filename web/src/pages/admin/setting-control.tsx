import { For } from 'solid-js';
import type { ControlProps } from '../../components/field.tsx';
import { humanize } from '../../lib/format.ts';
import type { SettingInput } from './setting-inputs.ts';

/**
 * The form control for one setting's type, showing `value` and reporting each change as
 * the value the API takes (a setting's type never changes, so this picks once).
 */
export function SettingControl(props: {
  field: ControlProps;
  input: SettingInput;
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  const input = props.input;
  const text = () => (props.value === null || props.value === undefined ? '' : String(props.value));
  switch (input.kind) {
    case 'boolean':
      return (
        <input
          {...props.field}
          type="checkbox"
          checked={props.value === true}
          onChange={(e) => props.onChange(e.currentTarget.checked)}
        />
      );
    case 'number':
      return (
        <input
          {...props.field}
          type="number"
          inputMode="numeric"
          step="1"
          min={input.min}
          max={input.max}
          value={text()}
          // An empty or unreadable number goes as null: the API names what it expects.
          onInput={(e) => props.onChange(e.currentTarget.value.trim() === '' ? null : Number(e.currentTarget.value))}
        />
      );
    case 'select':
      return (
        // `selected` on the options, not `value` on the select: the spread sets props before the options exist.
        <select {...props.field} onChange={(e) => props.onChange(e.currentTarget.value)}>
          <For each={input.options}>
            {(option) => (
              <option value={option} selected={option === text()}>
                {humanize(option)}
              </option>
            )}
          </For>
        </select>
      );
    default:
      return (
        <input
          {...props.field}
          type="text"
          maxLength={input.maxLength}
          value={text()}
          onInput={(e) => props.onChange(e.currentTarget.value)}
        />
      );
  }
}
