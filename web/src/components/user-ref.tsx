import { Show } from 'solid-js';
import { userName } from '../lib/users.ts';

/**
 * A user named by id: the name, with the email on a second line (`stacked`), after it
 * (`inline`) or as a tooltip (`name`, for tight table cells). The short id stands in
 * until the name is known, or when it names nobody.
 */
export function UserRef(props: {
  id: string | null | undefined;
  none?: string;
  layout?: 'name' | 'inline' | 'stacked';
}) {
  const layout = () => props.layout ?? 'inline';
  return (
    <Show when={props.id} fallback={<span class="muted">{props.none ?? '—'}</span>}>
      {(id) => (
        <Show
          when={userName(id())}
          fallback={
            <code class="muted" title={id()}>
              {id().slice(0, 8)}
            </code>
          }
        >
          {(user) => (
            <span class={`user-ref ${layout()}`} title={layout() === 'name' ? user().email : undefined}>
              <span class="user-name">{user().name}</span>
              <Show when={layout() !== 'name'}>
                <span class="user-email muted">{layout() === 'inline' ? ` (${user().email})` : user().email}</span>
              </Show>
            </span>
          )}
        </Show>
      )}
    </Show>
  );
}
