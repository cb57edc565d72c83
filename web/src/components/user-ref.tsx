import { Show } from 'solid-js';
import { userName } from '../lib/users.ts';

/**
 * A user named by id, shown by name with the email beside it (the short id until the
 * name is known, or when it names nobody).
 */
export function UserRef(props: { id: string | null | undefined; none?: string; compact?: boolean }) {
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
            <span class="user-ref" title={props.compact ? user().email : undefined}>
              <span class="user-name">{user().name}</span>
              <Show when={!props.compact}>
                <span class="user-email muted">{user().email}</span>
              </Show>
            </span>
          )}
        </Show>
      )}
    </Show>
  );
}
