import { getConnInfo } from 'hono/bun';
import { exitOnStartupError, startAppServer } from '../server/app-server.ts';

/** The part of Bun's global this entry uses (the project type-checks against Node's types). */
declare const Bun: {
  env: Record<string, string | undefined>;
  serve(options: {
    hostname: string;
    port: number;
    fetch: (request: Request, server: unknown) => Response | Promise<Response>;
  }): { hostname: string; port: number; stop(closeActiveConnections?: boolean): Promise<void> };
};

/** Bun entry (`bun api/entries/bun.ts`): the shared server on `Bun.serve`, at HOST:PORT from the configuration. */
const server = await startAppServer({ name: 'bun', env: Bun.env, getConnInfo }).catch(exitOnStartupError);
// Bun binds every interface without a hostname; the schema's default is 127.0.0.1.
let http: ReturnType<typeof Bun.serve>;
try {
  http = Bun.serve({ hostname: server.config.host, port: server.config.port, fetch: server.fetch });
} catch (error) {
  // The address in use, say: Bun throws where Node emits an event.
  exitOnStartupError(error);
}
server.listening({ hostname: http.hostname, port: http.port });
server.stopOnSignals({
  // stop() refuses new connections, closes idle ones, and resolves once answered requests have closed theirs.
  async drain(timeoutMs) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(resolve, timeoutMs, 'timeout');
    });
    const outcome = await Promise.race([http.stop().then(() => 'drained' as const), late]);
    clearTimeout(timer);
    if (outcome === 'timeout') await http.stop(true);
    return outcome;
  },
});
