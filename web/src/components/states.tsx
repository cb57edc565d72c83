import { type Accessor, type JSX, Match, type Resource, Show, Switch } from 'solid-js';
import { ApiProblem } from '../lib/api.ts';

export function Loading(props: { label?: string }) {
  return (
    <div class="state loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {props.label ?? 'Loading…'}
    </div>
  );
}

/**
 * What went wrong, in words, with the request id to quote and a way to try again. A 403
 * gets no retry: asking again cannot change the caller's role.
 */
export function ErrorState(props: { error: unknown; retry?: () => void; title?: string }) {
  const problem = () => (props.error instanceof ApiProblem ? props.error : undefined);
  const forbidden = () => problem()?.status === 403;
  const message = () =>
    props.error instanceof Error ? props.error.message : 'Something went wrong while loading this page.';
  return (
    <div class="state error" role="alert">
      <h2>{props.title ?? (forbidden() ? 'Not available to your role' : 'Could not load this')}</h2>
      <p>{message()}</p>
      <Show when={problem()?.problem?.requestId}>
        {(id) => (
          <p class="muted">
            Request id: <code>{id()}</code>
          </p>
        )}
      </Show>
      <Show when={forbidden() ? undefined : props.retry}>
        {(retry) => (
          <button type="button" class="button" onClick={() => retry()()}>
            Try again
          </button>
        )}
      </Show>
    </div>
  );
}

export function Empty(props: { title: string; children?: JSX.Element }) {
  return (
    <div class="state empty">
      <h2>{props.title}</h2>
      {props.children}
    </div>
  );
}

/**
 * A resource's three states in one place: loading, error (with retry), and the value.
 * While it refreshes, the previous value stays on screen.
 */
export function Async<T>(props: {
  of: Resource<T>;
  retry?: () => void;
  loading?: string;
  children: (value: Accessor<T>) => JSX.Element;
}) {
  return (
    <Switch fallback={<Loading label={props.loading} />}>
      <Match when={props.of.error}>
        <ErrorState error={props.of.error} retry={props.retry} />
      </Match>
      <Match when={props.of.state === 'ready' || props.of.state === 'refreshing'}>
        {props.children(() => props.of.latest as T)}
      </Match>
    </Switch>
  );
}
