import { createSignal, For } from 'solid-js';

export interface Notice {
  id: number;
  kind: 'success' | 'error' | 'info';
  message: string;
}

const [notices, setNotices] = createSignal<Notice[]>([]);
let nextId = 1;

/** Shows a short message in the live region; it goes away by itself or when dismissed. */
export function notify(message: string, kind: Notice['kind'] = 'success', timeoutMs = 6000): void {
  const id = nextId++;
  setNotices((list) => [...list, { id, kind, message }]);
  if (timeoutMs > 0) setTimeout(() => dismiss(id), timeoutMs);
}

export function dismiss(id: number): void {
  setNotices((list) => list.filter((n) => n.id !== id));
}

/** The live region screen readers announce notices from. */
export function Notices() {
  return (
    <div class="notices" role="status" aria-live="polite">
      <For each={notices()}>
        {(notice) => (
          <div class={`notice ${notice.kind}`}>
            <span>{notice.message}</span>
            <button type="button" class="button ghost small" onClick={() => dismiss(notice.id)} aria-label="Dismiss">
              ×
            </button>
          </div>
        )}
      </For>
    </div>
  );
}
