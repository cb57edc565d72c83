import { A, useSearchParams } from '@solidjs/router';
import { createMemo, createResource, Show } from 'solid-js';
import { CursorPager, createCursorTrail } from '../../components/cursor-pager.tsx';
import { Async, Empty } from '../../components/states.tsx';
import { api, call } from '../../lib/api.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { can } from '../../lib/session.ts';
import { ITEM_PRIORITIES, ITEM_STATUSES, type ItemQuery } from './item-data.ts';
import { DEFAULT_SORT, type Filters, ItemFilters, SORT_OPTIONS } from './item-filters.tsx';
import { ItemsTable } from './items-table.tsx';
import './items.css';

type Params = Filters & { cursor?: string };

const PAGE_SIZE = 20;

const oneOf = <T extends string>(allowed: readonly T[], value: string | undefined) => allowed.find((v) => v === value);

/** The API query for the URL's parameters; values the API would refuse (an edited URL) are dropped. */
function queryOf(params: Partial<Params>): ItemQuery {
  return {
    q: params.q?.trim() || undefined,
    status: oneOf(ITEM_STATUSES, params.status),
    priority: oneOf(ITEM_PRIORITIES, params.priority),
    tag: params.tag?.trim() || undefined,
    sort: oneOf(
      SORT_OPTIONS.map(([value]) => value),
      params.sort,
    ),
    cursor: params.cursor || undefined,
    limit: String(PAGE_SIZE),
    total: 'true',
  };
}

export default function ItemsPage() {
  usePageTitle(() => 'Items');
  const [params, setParams] = useSearchParams<Params>();
  // Compared by content, so a change that asks for the same list (trailing space) does not refetch.
  const query = createMemo(() => queryOf(params), undefined, {
    equals: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  });
  const [page, { refetch }] = createResource(query, (q) => call(api.api.v1.items.$get({ query: q })));
  const filtered = () => {
    const q = query();
    return !!(q.q || q.status || q.priority || q.tag);
  };
  // Any change of filter or sort starts again from the first page.
  const change = (patch: Filters, options?: { replace?: boolean }) =>
    setParams({ ...patch, cursor: undefined }, options);
  const clearFilters = () => change({ q: undefined, status: undefined, priority: undefined, tag: undefined });
  const trail = createCursorTrail(
    () => query().cursor,
    (cursor) => setParams({ cursor }),
  );

  return (
    <>
      <div class="page-header">
        <h1>Items</h1>
        <Show when={can('items:write')}>
          <div class="actions">
            <A href="/items/import" class="button">
              Import
            </A>
            <A href="/items/new" class="button primary">
              New item
            </A>
          </div>
        </Show>
      </div>
      <ItemFilters values={{ ...params, sort: params.sort ?? DEFAULT_SORT }} onChange={change} />
      <Async of={page} retry={refetch} loading="Loading items…">
        {(current) => (
          <>
            <Show when={page.loading}>
              <p class="visually-hidden" aria-live="polite">
                Loading items…
              </p>
            </Show>
            <Show
              when={current().data.length}
              fallback={
                <Empty title={filtered() ? 'No items match these filters' : 'No items yet'}>
                  <Show
                    when={filtered()}
                    fallback={
                      <Show when={can('items:write')}>
                        <A href="/items/new" class="button primary">
                          Create the first item
                        </A>
                      </Show>
                    }
                  >
                    <button type="button" class="button" onClick={clearFilters}>
                      Clear filters
                    </button>
                  </Show>
                </Empty>
              }
            >
              <ItemsTable items={current().data} busy={page.loading} />
            </Show>
            <Show when={current().data.length || query().cursor}>
              <CursorPager
                trail={trail}
                nextCursor={current().nextCursor}
                shown={current().data.length}
                pageSize={PAGE_SIZE}
                noun="items"
                total={current().total}
              />
            </Show>
          </>
        )}
      </Async>
    </>
  );
}
