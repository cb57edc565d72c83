import { createUniqueId, type JSX, Show } from 'solid-js';

export interface ControlProps {
  id: string;
  name: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

/**
 * A labelled form control with its hint and its error (the API's message for that
 * field) beside it, wired for screen readers: the control is described by both.
 */
export function Field(props: {
  label: string;
  name: string;
  error?: string;
  hint?: JSX.Element;
  children: (control: ControlProps) => JSX.Element;
}) {
  const id = createUniqueId();
  const describedBy = () =>
    [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field" classList={{ invalid: !!props.error }}>
      <label for={id}>{props.label}</label>
      {props.children({
        id,
        name: props.name,
        get 'aria-invalid'() {
          return !!props.error;
        },
        get 'aria-describedby'() {
          return describedBy();
        },
      })}
      <Show when={props.hint}>
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      </Show>
      <Show when={props.error}>
        <p class="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      </Show>
    </div>
  );
}

/** A problem the API reported that belongs to no single field, or a request that failed outright. */
export function FormError(props: { message?: string; children?: JSX.Element }) {
  return (
    <Show when={props.message || props.children}>
      <div class="form-error" role="alert">
        {props.message}
        {props.children}
      </div>
    </Show>
  );
}
