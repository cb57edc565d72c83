import { A, useParams } from '@solidjs/router';
import { createResource, Show } from 'solid-js';
import { Async } from '../../components/states.tsx';
import { usePageTitle } from '../../lib/page-title.ts';
import { can } from '../../lib/session.ts';
import { fetchItem, isNotFound } from './item-data.ts';
import { ItemDetails, ItemMeta } from './item-details.tsx';
import { ItemEditor } from './item-editor.tsx';
import { ItemHistory } from './item-history.tsx';
import './items.css';

export default function ItemEditPage() {
  const params = useParams<{ id: string }>();
  const [item, { refetch, mutate }] = createResource(() => params.id, fetchItem);
  const notFound = () => isNotFound(item.error);
  const title = () => {
    if (notFound()) return 'Item not found';
    // `latest` is read only once there is a value: before that it would throw the error or suspend.
    return item.state === 'ready' || item.state === 'refreshing' ? (item.latest?.title ?? 'Item') : 'Item';
  };
  usePageTitle(title);

  return (
    <>
      <div class="page-header">
        <h1>{title()}</h1>
        <A href="/items" class="button ghost">
          Back to items
        </A>
      </div>
      <Show
        when={!notFound()}
        fallback={
          <div class="state empty">
            <p>This item does not exist, or it has been deleted.</p>
            <A href="/items" class="button primary">
              Go to the item list
            </A>
          </div>
        }
      >
        <Async of={item} retry={refetch} loading="Loading the item…">
          {(loaded) => (
            <>
              <ItemMeta item={loaded()} />
              <div class="item-layout">
                <Show when={can('items:write')} fallback={<ItemDetails item={loaded()} />}>
                  <ItemEditor item={loaded()} onChange={(next) => mutate(next)} />
                </Show>
                {/* The audit trail is the admins' (the API refuses it to others): no section at all for them. */}
                <Show when={can('audit:read')}>
                  <ItemHistory id={loaded().id} version={loaded().version} />
                </Show>
              </div>
            </>
          )}
        </Async>
      </Show>
    </>
  );
}
