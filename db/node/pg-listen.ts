import pg from 'pg';

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

/**
 * LISTEN over one connection of its own (a pooled one cannot keep a session), for any
 * number of channels, reconnecting with backoff when it drops. A (re)connect calls
 * every listener once, since notifications sent while it was down are lost: listeners
 * look again.
 */
export function pgListener(url: string) {
  const channels = new Map<string, Set<() => void>>();
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let delay = RECONNECT_MIN_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const quoted = (channel: string) => `"${channel.replaceAll('"', '""')}"`;
  const notifyAll = () => {
    for (const listeners of channels.values()) for (const listener of listeners) listener();
  };

  const connect = (): Promise<void> => {
    connecting ??= (async () => {
      const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, keepAlive: true });
      const retry = () => {
        next.removeAllListeners();
        next.end().catch(() => {});
        if (client === next) client = undefined;
        if (channels.size === 0) return;
        clearTimeout(timer);
        timer = setTimeout(() => void connect(), delay);
        delay = Math.min(delay * 2, RECONNECT_MAX_MS);
      };
      next.on('error', retry);
      next.on('end', () => {
        if (client === next) retry();
      });
      next.on('notification', (message) => {
        for (const listener of channels.get(message.channel) ?? []) listener();
      });
      try {
        await next.connect();
        for (const channel of channels.keys()) await next.query(`LISTEN ${quoted(channel)}`);
        client = next;
        delay = RECONNECT_MIN_MS;
        notifyAll();
      } catch {
        retry();
      }
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  return {
    async listen(channel: string, onNotify: () => void): Promise<() => Promise<void>> {
      const listeners = channels.get(channel) ?? new Set();
      const first = listeners.size === 0;
      listeners.add(onNotify);
      channels.set(channel, listeners);
      if (!client) await connect();
      // Again after a connect that was already under way (LISTEN twice is harmless).
      if (first) await client?.query(`LISTEN ${quoted(channel)}`).catch(() => {});
      return async () => {
        listeners.delete(onNotify);
        if (listeners.size > 0) return;
        channels.delete(channel);
        await client?.query(`UNLISTEN ${quoted(channel)}`).catch(() => {});
        if (channels.size === 0) {
          clearTimeout(timer);
          const last = client;
          client = undefined;
          await last?.end().catch(() => {});
        }
      };
    },
  };
}
