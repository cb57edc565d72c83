import { createEffect } from 'solid-js';
import { appName } from './display-settings.ts';

/** Sets the document title for the current page (screen readers announce it on navigation). */
export function usePageTitle(title: () => string): void {
  createEffect(() => {
    document.title = `${title()} · ${appName()}`;
  });
}
