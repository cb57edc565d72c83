import { createEffect, createSignal, on, Show } from 'solid-js';
import { formatNumber } from '../lib/format.ts';

/**
 * The way back through keyset pages. The API's cursors only go forward, so the cursors of
 * the pages before this one are kept here, in memory, as they are visited; the current
 * cursor stays in the URL (bookmarks, reloads). Going back with the browser's own button
 * leaves the trail too. Arriving on a later page by URL there is no trail: back is the first page.
 */
export function createCursorTrail(current: () => string | undefined, go: (cursor: string | undefined) => void) {
  const [trail, setTrail] = createSignal<(string | undefined)[]>([]);
  createEffect(
    on(
      current,
      (cursor) => {
        const before = trail();
        if (!cursor) setTrail([]);
        else if (before.length && before.at(-1) === cursor) setTrail(before.slice(0, -1));
      },
      { defer: true },
    ),
  );
  return {
    current,
    /** The page's position from the first (0), when known. */
    index: (): number | undefined => (!current() ? 0 : trail().length ? trail().length : undefined),
    next(cursor: string) {
      setTrail([...trail(), current()]);
      go(cursor);
    },
    back() {
      const before = trail();
      setTrail(before.slice(0, -1));
      go(before.at(-1));
    },
  };
}

export type CursorTrail = ReturnType<typeof createCursorTrail>;

/** "Items 21–40 of 57", or as much of it as is known. */
export function pageSummary(options: {
  noun: string;
  shown: number;
  index: number | undefined;
  pageSize: number;
  total?: number;
}): string {
  const { noun, shown, index, pageSize, total } = options;
  const of = total === undefined ? '' : ` of ${formatNumber(total)}`;
  if (!shown) return total === undefined ? `No ${noun} on this page` : `No ${noun} on this page${of}`;
  if (index === undefined) return `${formatNumber(shown)} ${noun}${of}, on a later page`;
  const first = index * pageSize + 1;
  return `${humanNoun(noun)} ${formatNumber(first)}–${formatNumber(first + shown - 1)}${of}`;
}

const humanNoun = (noun: string) => noun.charAt(0).toUpperCase() + noun.slice(1);

/**
 * Keyset pagination as the API offers it: forward with `nextCursor`, back along the trail
 * of pages visited (see createCursorTrail).
 */
export function CursorPager(props: {
  trail: CursorTrail;
  nextCursor: string | null;
  shown: number;
  pageSize: number;
  /** What the list holds, plural ("items"). */
  noun: string;
  total?: number;
}) {
  const atStart = () => !props.trail.current();
  const index = () => props.trail.index();
  return (
    <nav class="pagination" aria-label="Pagination">
      <span class="muted" aria-live="polite">
        {pageSummary({
          noun: props.noun,
          shown: props.shown,
          index: index(),
          pageSize: props.pageSize,
          total: props.total,
        })}
      </span>
      <span class="actions">
        <Show when={!atStart()}>
          <button type="button" class="button" onClick={() => props.trail.back()}>
            {index() === undefined ? 'First page' : 'Previous page'}
          </button>
        </Show>
        <button
          type="button"
          class="button"
          disabled={!props.nextCursor}
          onClick={() => props.nextCursor && props.trail.next(props.nextCursor)}
        >
          Next page
        </button>
      </span>
    </nav>
  );
}
