import { A, useParams } from '@solidjs/router';
import { createResource, createSignal, Show } from 'solid-js';
import { Async } from '../../components/states.tsx';
import { useLive } from '../../lib/live.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { can } from '../../lib/session.ts';
import { fetchItem, type Item, isNotFound } from './item-data.ts';
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

  // Changes from elsewhere (the change feed): shown at once, unless the form holds edits,
  // which are never overwritten: the editor offers the newer version instead.
  const [newer, setNewer] = createSignal<Item>();
  const [deleted, setDeleted] = createSignal(false);
  let dirty = false;
  const current = () => (item.state === 'ready' ? item() : undefined);
  useLive(
    'item',
    (event) => {
      if (event.type === 'item.deleted') {
        setDeleted(true);
        return;
      }
      const next = event.data as Item | null;
      const shown = current();
      if (!next || !shown || next.version <= shown.version) return; // our own save, or old news
      if (dirty && can('items:write')) setNewer(next);
      else mutate(next);
    },
    {
      entityId: () => params.id,
      onReset: () => {
        if (!dirty) void refetch();
      },
    },
  );
  const change = (next: Item) => {
    mutate(next);
    if ((newer()?.version ?? 0) <= next.version) setNewer(undefined);
  };

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
        <Show when={deleted()}>
          <div class="alert warning" role="status">
            <p>
              Someone else deleted this item. <A href="/items">Go to the item list</A>
            </p>
          </div>
        </Show>
        <Async of={item} retry={refetch} loading="Loading the item…">
          {(loaded) => (
            <>
              <ItemMeta item={loaded()} />
              <div class="item-layout">
                <Show when={can('items:write')} fallback={<ItemDetails item={loaded()} />}>
                  <ItemEditor
                    item={loaded()}
                    onChange={change}
                    newer={newer()}
                    onDirty={(value) => {
                      dirty = value;
                    }}
                    onDismissNewer={() => setNewer(undefined)}
                  />
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
