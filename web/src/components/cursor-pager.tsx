import { Show } from 'solid-js';

/**
 * Keyset pagination as the API offers it: forward with `nextCursor`, and back to the
 * first page (cursors are not reversible). The cursor lives in the URL, so a page
 * can be bookmarked and the browser's back button steps back a page.
 */
export function CursorPager(props: {
  cursor: string | undefined;
  nextCursor: string | null;
  onNavigate: (cursor: string | undefined) => void;
  shown: number;
}) {
  return (
    <nav class="pagination" aria-label="Pagination">
      <span class="muted">
        {props.shown} shown{props.cursor ? ' (later page)' : ''}
      </span>
      <span class="actions">
        <Show when={props.cursor}>
          <button type="button" class="button" onClick={() => props.onNavigate(undefined)}>
            First page
          </button>
        </Show>
        <button
          type="button"
          class="button"
          disabled={!props.nextCursor}
          onClick={() => props.onNavigate(props.nextCursor ?? undefined)}
        >
          Next page
        </button>
      </span>
    </nav>
  );
}
