import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { exitOnStartupError, startAppServer } from '../server/app-server.ts';
import { connectionDrain } from '../server/node/connection-drain.ts';

/** Node entry (`npm start`): the shared server on @hono/node-server, at HOST:PORT from the configuration. */
async function main(): Promise<void> {
  const server = await startAppServer({ name: 'node', env: process.env, getConnInfo });
  const { host, port } = server.config;
  const connections = connectionDrain();
  const http = serve({ fetch: server.fetch, port, hostname: host, serverOptions: connections.serverOptions }, (info) =>
    server.listening({ hostname: host, port: info.port }),
  );
  // Binding fails after `serve` returns, as an event: the address in use, say.
  http.once('error', exitOnStartupError);
  http.once('listening', () => http.off('error', exitOnStartupError));
  server.stopOnSignals({ drain: (timeoutMs) => connections.drain(http, timeoutMs) });
}

main().catch(exitOnStartupError);
