import { vi } from 'vitest';

/**
 * A stand-in for the browser's EventSource (jsdom has none): the test opens, fails and
 * feeds the stream by hand. Each instance is kept in `FakeEventSource.instances`.
 */
export class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];

  readyState = FakeEventSource.CONNECTING;
  readonly withCredentials: boolean;

  constructor(
    readonly url: string,
    init?: EventSourceInit,
  ) {
    super();
    this.withCredentials = !!init?.withCredentials;
    FakeEventSource.instances.push(this);
  }

  /** The stream the app opened last. */
  static get latest(): FakeEventSource {
    const last = FakeEventSource.instances.at(-1);
    if (!last) throw new Error('no EventSource was opened');
    return last;
  }

  /** Sends one event, as the API writes it (`event:`, `id:`, `data:`). */
  emit(type: string, data: unknown = {}, id = ''): void {
    this.readyState = FakeEventSource.OPEN;
    this.dispatchEvent(new MessageEvent(type, { data: JSON.stringify(data), lastEventId: id }));
  }

  /** A dropped connection: the browser retries (CONNECTING) or gives up (CLOSED). */
  fail(closed = false): void {
    this.readyState = closed ? FakeEventSource.CLOSED : FakeEventSource.CONNECTING;
    this.dispatchEvent(new Event('error'));
  }

  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }
}

/** Installs the fake as the global EventSource until the test's `vi.unstubAllGlobals()`. */
export function installFakeEventSource(): typeof FakeEventSource {
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
  return FakeEventSource;
}

/** A change event as the feed sends it. */
export function changeEvent(type: string, entityId: string, data: unknown, id = '1') {
  const [entityType = ''] = type.split('.');
  return { id, type, entityType, entityId, actorType: 'user', actorId: null, at: new Date().toISOString(), data };
}
