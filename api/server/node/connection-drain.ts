import { Server, type ServerResponse } from 'node:http';
import type { ServerType } from '@hono/node-server';

export interface ConnectionDrain {
  /**
   * Stops accepting connections (new ones are refused), closes idle keep-alive
   * connections, and lets each busy one finish its current response and then close.
   * Resolves `drained` when the last connection has closed, or `timeout` after
   * `timeoutMs`, when whatever is left has been cut off.
   */
  drain(timeoutMs: number): Promise<'drained' | 'timeout'>;
}

/**
 * The connection side of a graceful shutdown (a rolling update): while draining, every
 * response says `Connection: close` and its connection closes once it is sent, so
 * keep-alive clients (ingress controllers, load balancers) reconnect to a replica that
 * is not stopping instead of queueing more requests here.
 */
export function connectionDrain(server: ServerType): ConnectionDrain {
  if (!(server instanceof Server)) throw new Error('connectionDrain needs an HTTP/1.1 server');
  let draining = false;
  const inFlight = new Set<ServerResponse>();
  const closeAfter = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
    // A response whose headers went out before the drain (a streamed body) cannot say
    // so any more: close its connection as soon as it is idle.
    res.once('finish', () => server.closeIdleConnections());
  };
  // Runs after the app's listener has started the request, before its response is written.
  server.on('request', (_req, res: ServerResponse) => {
    if (draining) return closeAfter(res);
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });

  return {
    async drain(timeoutMs) {
      draining = true;
      for (const res of inFlight) closeAfter(res);
      const closed = new Promise<'drained'>((resolve) => server.close(() => resolve('drained')));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(resolve, timeoutMs, 'timeout');
      });
      const outcome = await Promise.race([closed, timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') server.closeAllConnections();
      return outcome;
    },
  };
}
