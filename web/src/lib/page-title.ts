import { createEffect } from 'solid-js';

/** Sets the document title for the current page (screen readers announce it on navigation). */
export function usePageTitle(title: () => string): void {
  createEffect(() => {
    document.title = `${title()} · Edgeplane`;
  });
}
