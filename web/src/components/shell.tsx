import { A, type RouteSectionProps, useLocation, useNavigate } from '@solidjs/router';
import { createResource, For, onCleanup, Show, Suspense } from 'solid-js';
import { onSessionExpired } from '../lib/api.ts';
import { appName, loadDisplaySettings } from '../lib/display-settings.ts';
import { can, clearSession, loadSession, me, signOut } from '../lib/session.ts';
import { NAV } from '../routes.ts';
import { Notices } from './notices.tsx';
import { ErrorState, Loading } from './states.tsx';
import { ThemeToggle } from './theme-toggle.tsx';

/** Where the sign-in page sends the user back to. */
export function loginPath(next: string): string {
  return next && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login';
}

/** The signed-in frame: navigation, the current page, sign-out. Sends signed-out visitors to sign in and back. */
export function Shell(props: RouteSectionProps) {
  const navigate = useNavigate();
  const location = useLocation();
  const here = () => `${location.pathname}${location.search}`;
  const [session, { refetch }] = createResource(async () => {
    const current = await loadSession();
    if (!current) navigate(loginPath(here()), { replace: true });
    else await loadDisplaySettings();
    return current;
  });
  onCleanup(
    onSessionExpired(() => {
      clearSession();
      navigate(loginPath(here()), { replace: true });
    }),
  );

  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <A href="/" class="brand" end>
          <img src="/favicon.svg" alt="" width="24" height="24" />
          {appName()}
        </A>
        <nav aria-label="Main">
          <ul class="nav">
            <For each={NAV.filter((entry) => can(entry.permission))}>
              {(entry) => (
                <li>
                  <A href={entry.path} end={entry.path === '/'} activeClass="active">
                    {entry.title}
                  </A>
                </li>
              )}
            </For>
          </ul>
        </nav>
        <div class="topbar-end">
          <ThemeToggle />
          <Show when={me()}>
            {(current) => (
              <>
                <span class="who" title={current().user?.email}>
                  {current().user?.name ?? 'API key'} <span class="role">{current().role}</span>
                </span>
                <button
                  type="button"
                  class="button ghost"
                  onClick={async () => {
                    await signOut();
                    navigate('/login', { replace: true });
                  }}
                >
                  Sign out
                </button>
              </>
            )}
          </Show>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Show when={!session.error} fallback={<ErrorState error={session.error} retry={refetch} />}>
          <Show when={me()} fallback={<Loading />}>
            <Suspense fallback={<Loading />}>{props.children}</Suspense>
          </Show>
        </Show>
      </main>
      <Notices />
    </div>
  );
}
