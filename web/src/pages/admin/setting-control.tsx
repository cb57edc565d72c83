import { For } from 'solid-js';
import type { ControlProps } from '../../components/field.tsx';
import { humanize } from '../../lib/format.ts';
import type { SettingInput } from './setting-inputs.ts';

type Control = HTMLInputElement | HTMLSelectElement;

/** The form control for one setting's type (a setting's type never changes, so this picks once). */
export function SettingControl(props: {
  field: ControlProps;
  input: SettingInput;
  value: unknown;
  ref: (el: Control) => void;
}) {
  const input = props.input;
  const text = () => (props.value === null || props.value === undefined ? '' : String(props.value));
  switch (input.kind) {
    case 'boolean':
      return <input {...props.field} ref={props.ref} type="checkbox" checked={props.value === true} />;
    case 'number':
      return (
        <input
          {...props.field}
          ref={props.ref}
          type="number"
          inputMode="numeric"
          step="1"
          min={input.min}
          max={input.max}
          value={text()}
        />
      );
    case 'select':
      return (
        // `selected` on the options, not `value` on the select: the spread sets props before the options exist.
        <select {...props.field} ref={props.ref}>
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
      return <input {...props.field} ref={props.ref} type="text" maxLength={input.maxLength} value={text()} />;
  }
}
