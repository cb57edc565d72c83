import { createSignal } from 'solid-js';
import { ApiProblem } from '../../lib/api.ts';

/**
 * The state of a form that sends one request: busy while it runs, the API's field
 * errors for the fields the form shows, and a general message for everything else.
 */
export function createFormState(shownFields: readonly string[]) {
  const [busy, setBusy] = createSignal(false);
  const [fields, setFields] = createSignal<Record<string, string>>({});
  const [error, setError] = createSignal<string>();

  /** Runs `action`; on failure records the problem and returns undefined. */
  async function run<T>(action: () => Promise<T>, form?: HTMLElement): Promise<T | undefined> {
    setBusy(true);
    setFields({});
    setError(undefined);
    try {
      return await action();
    } catch (err) {
      const problem = err instanceof ApiProblem ? err : new ApiProblem(0);
      const all = problem.fieldErrors();
      const shown = Object.fromEntries(Object.entries(all).filter(([field]) => shownFields.includes(field)));
      setFields(shown);
      // A problem no field explains (or one about a field the form lacks) goes above the form.
      if (Object.keys(shown).length < Object.keys(all).length || !Object.keys(all).length) setError(problem.message);
      // Keyboard and screen-reader users land on the first thing to fix.
      queueMicrotask(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  /**
   * A create form's submit handler: sends what `send` makes of the form's data; once the API
   * accepts it, empties the form for the next one and passes the answer on to `done`.
   */
  function onSubmit<T>(send: (data: FormData) => Promise<T>, done: (result: T, form: HTMLFormElement) => void) {
    return async (event: SubmitEvent) => {
      event.preventDefault();
      const form = event.currentTarget as HTMLFormElement;
      const data = new FormData(form);
      const result = await run(() => send(data), form);
      if (result === undefined) return;
      form.reset();
      done(result, form);
    };
  }

  return { busy, fields, error, run, onSubmit };
}

/** A user-facing message for any failure. */
export function problemMessage(err: unknown): string {
  return err instanceof Error ? err.message : 'Something went wrong.';
}
