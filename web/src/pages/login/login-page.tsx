import { useNavigate, useSearchParams } from '@solidjs/router';
import { createSignal } from 'solid-js';
import { Field, FormError } from '../../components/field.tsx';
import { ApiProblem } from '../../lib/api.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { signIn } from '../../lib/session.ts';

/** Only paths inside the dashboard are followed after sign-in, never another origin. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export default function Login() {
  usePageTitle(() => 'Sign in');
  const navigate = useNavigate();
  const [params] = useSearchParams<{ next: string }>();
  const [error, setError] = createSignal<ApiProblem>();
  const [fields, setFields] = createSignal<Record<string, string>>({});
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    setFields({});
    try {
      await signIn(String(form.get('email') ?? ''), String(form.get('password') ?? ''));
      navigate(safeNext(params.next), { replace: true });
    } catch (err) {
      const problem = err instanceof ApiProblem ? err : new ApiProblem(0);
      setError(problem);
      setFields(problem.fieldErrors());
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login" id="main">
      <form class="card login-card" onSubmit={submit} novalidate>
        <h1>
          <img src="/favicon.svg" alt="" width="28" height="28" /> Sign in to Edgeplane
        </h1>
        <FormError
          message={
            error() && !Object.keys(fields()).length
              ? error()?.status === 401
                ? 'The email or password is not right.'
                : error()?.message
              : undefined
          }
        />
        <Field label="Email" name="email" error={fields().email}>
          {(control) => <input {...control} type="email" autocomplete="username" required autofocus />}
        </Field>
        <Field label="Password" name="password" error={fields().password}>
          {(control) => <input {...control} type="password" autocomplete="current-password" required />}
        </Field>
        <button type="submit" class="button primary" disabled={busy()}>
          {busy() ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
