import type { RouteSectionProps } from '@solidjs/router';
import { createMemoryHistory, MemoryRouter, Route } from '@solidjs/router';
import { render } from '@solidjs/testing-library';
import type { Component } from 'solid-js';

/**
 * Renders one page inside a router at `url`, the way the app mounts it (route `path`
 * supplies params such as `:id`). Returns the history too, to assert navigation.
 */
export function renderPage(page: Component<RouteSectionProps>, options: { url?: string; path?: string } = {}) {
  const history = createMemoryHistory();
  history.set({ value: options.url ?? '/' });
  const result = render(() => (
    <MemoryRouter history={history}>
      <Route path={options.path ?? '*'} component={page} />
      <Route path="*rest" component={() => <p>Left the page for {history.get()}</p>} />
    </MemoryRouter>
  ));
  return { ...result, history };
}
