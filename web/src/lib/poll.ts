import { onCleanup } from 'solid-js';

/**
 * Calls `tick` every `intervalMs` while the page is visible (a hidden tab stops polling
 * and catches up at once when shown again), until the owning component goes away or
 * `tick` returns false.
 */
export function usePolling(tick: () => boolean | undefined | Promise<boolean | undefined>, intervalMs: number): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const schedule = () => {
    if (!stopped) timer = setTimeout(run, intervalMs);
  };
  const run = async () => {
    timer = undefined;
    if (stopped) return;
    if (document.visibilityState === 'hidden') return; // resumed by the visibility listener
    let more: boolean | undefined;
    try {
      more = await tick();
    } catch {
      more = true; // a failed poll is retried; the page shows its own error state
    }
    if (more === false) stopped = true;
    else schedule();
  };
  const onVisible = () => {
    if (document.visibilityState === 'visible' && !timer && !stopped) void run();
  };
  document.addEventListener('visibilitychange', onVisible);
  schedule();
  onCleanup(() => {
    stopped = true;
    if (timer) clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisible);
  });
}
