import { createSignal, type JSX, Show } from 'solid-js';

/**
 * A destructive action that asks first, in place: the button turns into "confirm" and
 * "cancel" (keyboard focus moves to the confirmation), so no modal is needed.
 */
export function ConfirmButton(props: {
  label: string;
  confirmLabel?: string;
  question: string;
  onConfirm: () => void | Promise<void>;
  disabled?: boolean;
  class?: string;
  children?: JSX.Element;
}) {
  const [asking, setAsking] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  let confirmRef: HTMLButtonElement | undefined;
  const confirm = async () => {
    setBusy(true);
    try {
      await props.onConfirm();
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };
  return (
    <Show
      when={asking()}
      fallback={
        <button
          type="button"
          class={props.class ?? 'button danger'}
          disabled={props.disabled}
          onClick={() => {
            setAsking(true);
            confirmRef?.focus();
          }}
        >
          {props.children ?? props.label}
        </button>
      }
    >
      <fieldset class="confirm">
        <legend class="visually-hidden">{props.question}</legend>
        <span class="confirm-question" aria-hidden="true">
          {props.question}
        </span>
        <button
          type="button"
          class="button danger"
          ref={(el) => {
            confirmRef = el;
            queueMicrotask(() => el.focus());
          }}
          disabled={busy()}
          onClick={confirm}
        >
          {props.confirmLabel ?? `Yes, ${props.label.toLowerCase()}`}
        </button>
        <button type="button" class="button" disabled={busy()} onClick={() => setAsking(false)}>
          Cancel
        </button>
      </fieldset>
    </Show>
  );
}
