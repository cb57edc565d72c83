import { Show } from 'solid-js';
import { type LiveState, liveState } from '../lib/live.ts';

const LABELS: Record<Exclude<LiveState, 'off'>, { text: string; title: string }> = {
  connecting: { text: 'Connecting…', title: 'Connecting to the live change feed' },
  live: { text: 'Live', title: 'Changes show up as they happen' },
  reconnecting: {
    text: 'Reconnecting…',
    title: 'The live connection dropped; changes made meanwhile follow once it is back',
  },
  polling: {
    text: 'Updates every few seconds',
    title: 'The live connection is not available; pages check for changes every few seconds',
  },
};

/** Says whether the pages follow changes live, are reconnecting, or fall back to polling. */
export function LiveStatus() {
  return (
    <Show when={liveState() !== 'off' ? liveState() : undefined}>
      {(current) => (
        <span
          class={`live-status live-${current()}`}
          role="status"
          title={LABELS[current() as keyof typeof LABELS].title}
        >
          <span class="live-dot" aria-hidden="true" />
          <span class="live-text">{LABELS[current() as keyof typeof LABELS].text}</span>
        </span>
      )}
    </Show>
  );
}
