import { type HttpMethod, type PublishRequest, randomId, signQStashJwt } from './qstash-protocol.ts';

/**
 * The message store and delivery loop of the local QStash stand-in (development and
 * tests only): schedules each accepted publish, signs and sends it, retries, and keeps
 * a record of every attempt for tests to assert on.
 */

/** QStash's own state names (the SDK's `State`), plus CANCELED for messages dropped by close(). */
export type MessageState = 'CREATED' | 'ACTIVE' | 'RETRY' | 'DELIVERED' | 'FAILED' | 'CANCELED';

export interface DeliveryAttempt {
  /** The `Upstash-Retried` value sent: 0 on the first attempt. */
  retried: number;
  /** ms since the epoch. */
  startedAt: number;
  finishedAt: number;
  /** The destination's status; absent after a network error or timeout. */
  status?: number;
  error?: string;
  signedWith: 'current' | 'next';
}

export interface MessageRecord {
  messageId: string;
  destination: string;
  method: HttpMethod;
  /** The body as UTF-8 text. */
  body: string;
  contentType?: string;
  /** Sent on to the destination (`Upstash-Forward-*` without the prefix). */
  headers: Record<string, string>;
  /** Every `Upstash-*` header of the publish, as received. */
  publishHeaders: Record<string, string>;
  deduplicationId?: string;
  /** ms since the epoch. */
  publishedAt: number;
  /** Earliest delivery, ms since the epoch. */
  notBefore: number;
  /** Retries allowed after the first attempt. */
  retries: number;
  timeoutMs: number;
  state: MessageState;
  attempts: DeliveryAttempt[];
}

export interface PublishReply {
  messageId: string;
  url: string;
  /** Set when the publish repeated a deduplication id (or body) within the window. */
  deduplicated?: true;
}

interface DeliveryOptions {
  signingKey: string;
  signedWith: 'current' | 'next';
  retryDelayMs: (retried: number) => number;
  defaultRetries: number;
  deduplicationWindowMs: number;
  log: (line: string) => void;
}

interface Entry {
  record: MessageRecord;
  body: Uint8Array;
}

// How long one delivery may take when the publish sends no Upstash-Timeout.
const DEFAULT_TIMEOUT_MS = 30_000;
// setTimeout overflows past ~24.8 days; longer delays wait in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;
const PENDING: ReadonlySet<MessageState> = new Set(['CREATED', 'ACTIVE', 'RETRY']);

/** The in-memory queue behind the stand-in's HTTP surface. */
export function createDelivery(options: DeliveryOptions) {
  const entries = new Map<string, Entry>();
  const seen = new Map<string, { messageId: string; expiresAt: number }>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const inFlight = new Set<AbortController>();
  const watchers = new Set<() => void>();
  let closed = false;

  const changed = () => {
    for (const watcher of [...watchers]) watcher();
  };

  function enqueue(publish: PublishRequest): PublishReply {
    const now = Date.now();
    for (const [key, { expiresAt }] of seen) if (expiresAt <= now) seen.delete(key);
    const earlier = publish.deduplicationKey ? seen.get(publish.deduplicationKey) : undefined;
    if (earlier) return { messageId: earlier.messageId, url: publish.destination, deduplicated: true };

    const record: MessageRecord = {
      messageId: randomId('msg_'),
      destination: publish.destination,
      method: publish.method,
      body: new TextDecoder().decode(publish.body),
      contentType: publish.contentType,
      headers: publish.forwardHeaders,
      publishHeaders: publish.upstashHeaders,
      deduplicationId: publish.deduplicationId,
      publishedAt: publish.receivedAt,
      notBefore: publish.notBefore,
      retries: publish.retries ?? options.defaultRetries,
      timeoutMs: publish.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      state: 'CREATED',
      attempts: [],
    };
    const entry = { record, body: publish.body };
    entries.set(record.messageId, entry);
    if (publish.deduplicationKey) {
      seen.set(publish.deduplicationKey, {
        messageId: record.messageId,
        expiresAt: now + options.deduplicationWindowMs,
      });
    }
    options.log(`qstash stand-in: ${record.messageId} accepted for ${record.destination}`);
    schedule(entry, record.notBefore);
    changed();
    return { messageId: record.messageId, url: record.destination };
  }

  function schedule(entry: Entry, at: number): void {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        // Re-checked against the wall clock: a timer may fire a millisecond early, and long delays wait in steps.
        if (at > Date.now()) schedule(entry, at);
        else void deliver(entry);
      },
      Math.min(Math.max(0, at - Date.now()), MAX_TIMER_MS),
    );
    timers.add(timer);
  }

  async function deliver(entry: Entry): Promise<void> {
    const { record } = entry;
    const retried = record.attempts.length;
    const startedAt = Date.now();
    record.state = 'ACTIVE';
    changed();
    // fetch sends no body with a GET; the signature then covers the empty body the receiver sees.
    const body = record.method === 'GET' ? new Uint8Array() : entry.body;
    const controller = new AbortController();
    const timeout = setTimeout(
      () => controller.abort(new Error(`timed out after ${record.timeoutMs} ms`)),
      record.timeoutMs,
    );
    inFlight.add(controller);
    const attempt: DeliveryAttempt = { retried, startedAt, finishedAt: startedAt, signedWith: options.signedWith };
    try {
      const headers = new Headers(record.headers);
      if (record.contentType) headers.set('content-type', record.contentType);
      headers.set('upstash-message-id', record.messageId);
      headers.set('upstash-retried', String(retried));
      headers.set('user-agent', 'Upstash-QStash');
      headers.set(
        'upstash-signature',
        await signQStashJwt({ signingKey: options.signingKey, url: record.destination, body }),
      );
      const response = await fetch(record.destination, {
        method: record.method,
        headers,
        body: body.length > 0 ? body : undefined,
        signal: controller.signal,
      });
      await response.arrayBuffer();
      attempt.status = response.status;
    } catch (error) {
      attempt.error = controller.signal.aborted ? String(controller.signal.reason) : String(error);
    } finally {
      clearTimeout(timeout);
      inFlight.delete(controller);
    }
    if (closed) return;
    attempt.finishedAt = Date.now();
    record.attempts.push(attempt);
    const ok = attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300;
    options.log(
      `qstash stand-in: ${record.messageId} attempt ${retried} → ${attempt.status ?? attempt.error} (${record.destination})`,
    );
    if (ok) record.state = 'DELIVERED';
    else if (retried >= record.retries) record.state = 'FAILED';
    else {
      record.state = 'RETRY';
      schedule(entry, Date.now() + options.retryDelayMs(retried));
    }
    changed();
  }

  const snapshot = (): MessageRecord[] => [...entries.values()].map(({ record }) => structuredClone(record));

  /** Resolves with `check`'s first non-undefined result, re-run after every change. */
  function until<T>(check: () => T | undefined, timeoutMs: number, waitingFor: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const watcher = () => {
        const result = check();
        if (result === undefined && !closed) return;
        watchers.delete(watcher);
        clearTimeout(timer);
        if (result !== undefined) resolve(result);
        else reject(new Error(`qstash stand-in closed while waiting for ${waitingFor}`));
      };
      if (Number.isFinite(timeoutMs)) {
        timer = setTimeout(() => {
          watchers.delete(watcher);
          const states = snapshot().map((m) => `${m.messageId} ${m.state} (${m.attempts.length} attempts)`);
          reject(new Error(`qstash stand-in: timed out waiting for ${waitingFor}; messages: ${states.join(', ')}`));
        }, timeoutMs);
      }
      watchers.add(watcher);
      watcher();
    });
  }

  return {
    enqueue,
    messages: snapshot,
    waitFor(match: string | ((message: MessageRecord) => boolean), timeoutMs = 5_000): Promise<MessageRecord> {
      const matches =
        typeof match === 'string'
          ? (message: MessageRecord) =>
              message.messageId === match && (message.state === 'DELIVERED' || message.state === 'FAILED')
          : match;
      const label = typeof match === 'string' ? `message ${match} to finish` : 'a matching message';
      return until(() => snapshot().find(matches), timeoutMs, label);
    },
    async idle(): Promise<void> {
      // close() cancels whatever is pending, so this also resolves then.
      const busy = () => [...entries.values()].some(({ record }) => PENDING.has(record.state));
      await until(() => (busy() ? undefined : true), Number.POSITIVE_INFINITY, 'idle');
    },
    close(): void {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const controller of inFlight) controller.abort(new Error('qstash stand-in closed'));
      for (const { record } of entries.values()) if (PENDING.has(record.state)) record.state = 'CANCELED';
      changed();
    },
  };
}
