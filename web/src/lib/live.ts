import { createEffect, createSignal, onCleanup } from 'solid-js';
import { api, apiUrl, call } from './api.ts';
import { usePolling } from './poll.ts';

/**
 * The dashboard's one connection to the change feed (GET /api/v1/events), shared by every
 * page: the API allows a caller a handful of streams, so pages subscribe here instead of
 * opening their own.
 *
 * - `connecting`: opening the stream; `live`: events arrive as they happen;
 * - `reconnecting`: the stream dropped (or ended on purpose) and is coming back; what was
 *   missed meanwhile is replayed from the last event id, so nothing needs reloading;
 * - `polling`: the stream cannot be had (no EventSource, or it failed to open again and
 *   again): pages fall back to asking every few seconds;
 * - `off`: nobody is signed in.
 */
export type LiveState = 'off' | 'connecting' | 'live' | 'reconnecting' | 'polling';

/** One change as the feed sends it (`data` is the entity after the change, null for a removal). */
export interface LiveEvent {
  id: string;
  type: string;
  entityType: string;
  entityId: string | null;
  actorType: string;
  actorId: string | null;
  at: string;
  data: unknown;
}

/** The actions the dashboard follows; EventSource delivers a named event only to a listener of that name. */
export const LIVE_ACTIONS = [
  'item.created',
  'item.updated',
  'item.deleted',
  'job.created',
  'job.running',
  'job.progress',
  'job.succeeded',
  'job.failed',
  'job.dead',
  'job.queued',
  'job.retried',
  'job.cancelled',
  'job.updated',
] as const;

const FEED_PATH = '/api/v1/events?types=item.*,job.*';
/** Failed attempts in a row, with no `ready` between them, before falling back to polling. */
export const MAX_FAILURES = 3;
/** How soon a stream the browser gave up on (it closed) is opened again. */
const REOPEN_MS = 3_000;
/** How often, while polling, the stream is tried again. */
const RETRY_FEED_MS = 60_000;

interface Subscriber {
  entityType: string;
  entityId?: () => string | undefined;
  onEvent: (event: LiveEvent) => void;
  onReset?: () => void;
}

const [state, setState] = createSignal<LiveState>('off');
/** The feed's state, for the indicator and for pages choosing between the feed and polling. */
export const liveState = state;

const subscribers = new Set<Subscriber>();
let source: EventSource | undefined;
let lastId: string | undefined;
let failures = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let started = false;

function clearTimer() {
  if (timer) clearTimeout(timer);
  timer = undefined;
}

function closeSource() {
  source?.close();
  source = undefined;
}

/** Tells every subscriber its state may be stale: reload it. */
function resetAll() {
  for (const subscriber of subscribers) subscriber.onReset?.();
}

function deliver(event: LiveEvent) {
  for (const subscriber of subscribers) {
    if (subscriber.entityType !== event.entityType) continue;
    const id = subscriber.entityId?.();
    if (id !== undefined && id !== event.entityId) continue;
    subscriber.onEvent(event);
  }
}

function parse(message: MessageEvent): LiveEvent | undefined {
  try {
    const event = JSON.parse(String(message.data)) as LiveEvent;
    return event && typeof event === 'object' && typeof event.entityType === 'string' ? event : undefined;
  } catch {
    return undefined;
  }
}

function fallBack() {
  closeSource();
  clearTimer();
  setState('polling');
  // Try the stream again now and then: a server that was restarting comes back.
  if (typeof EventSource === 'function') timer = setTimeout(() => open(true), RETRY_FEED_MS);
}

/** Opens the stream, resuming after the last event seen (`after`) when there is one. */
function open(fromPolling = false) {
  clearTimer();
  closeSource();
  if (!started) return;
  if (typeof EventSource !== 'function') {
    setState('polling');
    return;
  }
  const url = apiUrl(lastId ? `${FEED_PATH}&after=${encodeURIComponent(lastId)}` : FEED_PATH);
  const es = new EventSource(url, { withCredentials: true });
  source = es;
  let ready = false;
  es.addEventListener('ready', (message) => {
    if (source !== es) return;
    ready = true;
    failures = 0;
    // A stream with no position to resume from starts now: what pages loaded before it
    // (while connecting, polling, or before a reset) may have missed is reloaded once.
    const fresh = !lastId;
    lastId = (message as MessageEvent).lastEventId || lastId;
    setState('live');
    if (fresh || fromPolling) {
      fromPolling = false;
      resetAll();
    }
  });
  es.addEventListener('end', () => {
    // The server is about to close the stream; EventSource reconnects with Last-Event-ID.
    if (source === es) setState('reconnecting');
  });
  es.addEventListener('reset', () => {
    if (source !== es) return;
    // The position is older than the trail keeps: start from now, and once the new stream
    // is ready (its position known, so nothing falls in between) everything reloads.
    lastId = undefined;
    open();
  });
  for (const action of LIVE_ACTIONS) {
    es.addEventListener(action, (message) => {
      if (source !== es) return;
      const msg = message as MessageEvent;
      if (msg.lastEventId) lastId = msg.lastEventId;
      const event = parse(msg);
      if (event) deliver(event);
    });
  }
  es.addEventListener('error', () => {
    if (source !== es) return;
    if (!ready) failures++;
    ready = false;
    if (failures >= MAX_FAILURES) {
      fallBack();
      return;
    }
    setState(state() === 'connecting' || state() === 'polling' ? state() : 'reconnecting');
    if (es.readyState === 2 /* CLOSED: the browser gave up (a 401 or 429, say) */) {
      closeSource();
      timer = setTimeout(async () => {
        // An expired access cookie is refreshed by any API call; then the stream is opened again.
        await call(api.api.v1.auth.me.$get()).catch(() => undefined);
        open(fromPolling);
      }, REOPEN_MS);
    }
  });
}

/** Opens the shared stream (signed in); a second call does nothing. */
export function startLive(): void {
  if (started) return;
  started = true;
  failures = 0;
  lastId = undefined;
  setState('connecting');
  open();
}

/** Closes the stream (signed out). */
export function stopLive(): void {
  started = false;
  clearTimer();
  closeSource();
  lastId = undefined;
  failures = 0;
  setState('off');
}

/** Whether changes arrive by the feed (or will again shortly), so pages need not poll. */
export function feedActive(): boolean {
  const current = state();
  return current === 'connecting' || current === 'live' || current === 'reconnecting';
}

/**
 * Calls `onEvent` with each change of `entityType` (of one entity when `entityId` names
 * it), and `onReset` when the feed says state may be stale. Returns the unsubscribe.
 */
export function subscribe(
  entityType: string,
  onEvent: (event: LiveEvent) => void,
  options: { entityId?: () => string | undefined; onReset?: () => void } = {},
): () => void {
  const subscriber: Subscriber = { entityType, onEvent, ...options };
  subscribers.add(subscriber);
  return () => subscribers.delete(subscriber);
}

/** `subscribe` for the life of the calling component. */
export function useLive(...args: Parameters<typeof subscribe>): void {
  onCleanup(subscribe(...args));
}

/**
 * Calls `run` once, `delayMs` after the first of a burst of calls: many events (an
 * import's progress, a bulk change) cost one reload, and a steady stream still reloads.
 */
export function coalesce(run: () => void, delayMs = 300): () => void {
  let pending: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => pending && clearTimeout(pending));
  return () => {
    pending ??= setTimeout(() => {
      pending = undefined;
      run();
    }, delayMs);
  };
}

/**
 * Polls with `tick` only while the feed is not there to say what changed (it could not be
 * opened, or nothing started it: a page shown outside the shell); see `usePolling`.
 */
export function usePollingFallback(
  tick: () => boolean | undefined | Promise<boolean | undefined>,
  intervalMs: number,
): void {
  createEffect(() => {
    if (!feedActive()) usePolling(tick, intervalMs);
  });
}
