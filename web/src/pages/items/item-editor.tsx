import { useNavigate } from '@solidjs/router';
import { createEffect, createSignal, on, Show } from 'solid-js';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { notify } from '../../components/notices.tsx';
import { ApiProblem, api, call } from '../../lib/api.ts';
import { currentVersionOf, fetchItem, type Item, type ItemBody } from './item-data.ts';
import { changesTo, ItemForm } from './item-form.tsx';

const messageOf = (err: unknown) => (err instanceof Error ? err.message : 'Something went wrong.');

/**
 * Editing with optimistic concurrency: a save sends the changed fields and the version it
 * started from, and if someone else saved in between (412), the user's edits stay in the
 * form while they choose between the latest version and applying theirs on top of it.
 */
export function ItemEditor(props: {
  item: Item;
  onChange: (item: Item) => void;
  /** A newer version someone else saved while this form held edits (from the change feed). */
  newer?: Item;
  onDirty?: (dirty: boolean) => void;
  onDismissNewer?: () => void;
}) {
  const navigate = useNavigate();
  // The version a save applies to: the loaded item's, or the newer one the user chose to overwrite.
  const [version, setVersion] = createSignal(props.item.version);
  const [conflict, setConflict] = createSignal<{ version?: number }>();
  const [loadingLatest, setLoadingLatest] = createSignal(false);
  let alertRef: HTMLDivElement | undefined;
  let rootRef: HTMLDivElement | undefined;
  createEffect(
    on(
      () => props.item,
      (item) => setVersion(item.version),
    ),
  );

  const save = async (body: ItemBody) => {
    const changes = changesTo(props.item, body);
    if (!Object.keys(changes).length) {
      notify('Nothing to save: no field was changed', 'info');
      return;
    }
    try {
      const saved = await call(
        api.api.v1.items[':id'].$patch({
          param: { id: props.item.id },
          json: { ...changes, version: version() },
          header: {},
        }),
      );
      setConflict(undefined);
      props.onChange(saved);
      notify('Saved');
    } catch (err) {
      if (!(err instanceof ApiProblem && err.status === 412)) throw err;
      setConflict({ version: currentVersionOf(err) });
      queueMicrotask(() => alertRef?.focus());
    }
  };

  const loadLatest = async () => {
    setLoadingLatest(true);
    try {
      const latest = await fetchItem(props.item.id);
      setConflict(undefined);
      props.onChange(latest);
      notify(`Loaded version ${latest.version}`, 'info');
    } catch (err) {
      notify(`Could not load the latest version: ${messageOf(err)}`, 'error');
    } finally {
      setLoadingLatest(false);
    }
  };

  const keepEditing = (latestVersion: number) => {
    setVersion(latestVersion);
    setConflict(undefined);
    props.onDismissNewer?.();
    rootRef?.querySelector('input')?.focus();
  };

  const remove = async () => {
    try {
      await call(api.api.v1.items[':id'].$delete({ param: { id: props.item.id }, header: {} }));
      notify(`Deleted “${props.item.title}”`);
      navigate('/items');
    } catch (err) {
      notify(`Could not delete the item: ${messageOf(err)}`, 'error');
    }
  };

  return (
    <div class="item-editor" ref={rootRef}>
      <Show when={conflict()}>
        {(c) => (
          <div class="alert warning conflict" role="alert" tabIndex={-1} ref={alertRef}>
            <h2>Someone else changed this item</h2>
            <p>
              It was changed after you opened it
              {c().version ? ` and is now at version ${c().version}` : ''}, so your save was not applied. Your edits are
              still in the form.
            </p>
            <div class="actions">
              <button type="button" class="button primary" disabled={loadingLatest()} onClick={loadLatest}>
                Load latest version
              </button>
              <Show when={c().version}>
                {(latest) => (
                  <button type="button" class="button" onClick={() => keepEditing(latest())}>
                    Keep my edits
                  </button>
                )}
              </Show>
            </div>
            <p class="hint">
              Loading the latest version discards your edits. Keeping them means your next save applies the fields you
              changed on top of the newer version.
            </p>
          </div>
        )}
      </Show>
      <Show when={!conflict() && props.newer}>
        {(newer) => (
          <div class="alert warning conflict" role="status">
            <h2>Someone else changed this item</h2>
            <p>
              It is now at version {newer().version}. Your edits are still in the form; saving them as they are would be
              refused.
            </p>
            <div class="actions">
              <button type="button" class="button primary" onClick={() => props.onChange(newer())}>
                Load latest version
              </button>
              <button type="button" class="button" onClick={() => keepEditing(newer().version)}>
                Keep my edits
              </button>
            </div>
            <p class="hint">
              Loading the latest version discards your edits. Keeping them means your next save applies the fields you
              changed on top of the newer version.
            </p>
          </div>
        )}
      </Show>
      <ItemForm item={props.item} submitLabel="Save" onSave={save} onDirty={props.onDirty}>
        <ConfirmButton label="Delete" question="Delete this item?" onConfirm={remove} />
      </ItemForm>
    </div>
  );
}
