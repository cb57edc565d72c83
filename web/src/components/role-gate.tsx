import { A, type RouteSectionProps } from '@solidjs/router';
import { type Component, Show } from 'solid-js';
import { PERMISSIONS } from '../../../vocabulary/permissions.ts';
import { usePageTitle } from '../lib/page-title.ts';
import { can, me } from '../lib/session.ts';
import type { PageDefinition } from '../routes.ts';

/**
 * What a page the caller's role may not use shows instead of itself: its name, why, and
 * the way back, with no form or button that could only fail.
 */
export function NotAvailable(props: { page: Pick<PageDefinition, 'title' | 'permission'> }) {
  usePageTitle(() => props.page.title);
  const needed = () => PERMISSIONS[props.page.permission];
  return (
    <>
      <header class="page-header">
        <h1>{props.page.title}</h1>
      </header>
      <section class="state denied" aria-labelledby="not-available">
        <h2 id="not-available">Not available to your role</h2>
        <p>
          The {props.page.title} page needs the {needed()} role{needed() === 'admin' ? '' : ' or higher'}; you are
          signed in as {me()?.role ?? 'nobody'}. An admin can change your role if you need it.
        </p>
        <A href="/" class="button">
          Back to the overview
        </A>
      </section>
    </>
  );
}

/**
 * A route's component behind its permission, checked before the page's code is even
 * loaded: every page of the route table goes through here (app.tsx), so none can forget.
 */
export function guarded(page: PageDefinition): Component<RouteSectionProps> {
  const Page = page.component;
  return (props) => (
    <Show when={can(page.permission)} fallback={<NotAvailable page={page} />}>
      <Page {...props} />
    </Show>
  );
}
