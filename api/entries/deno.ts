import { getConnInfo } from 'hono/deno';
import { exitOnStartupError, startAppServer } from '../server/app-server.ts';

/** The part of Deno's global this entry uses (the project type-checks against Node's types). */
declare const Deno: { env: { toObject(): Record<string, string> } };
interface DenoAddr {
  hostname: string;
  port: number;
}

const IDLE_POLL_MS = 50;

/**
 * Deno entry, for `deno serve` (`npm run start:deno`): the module sets the shared
 * server up and exports its fetch handler; `deno serve --host --port` listens.
 */
const server = await startAppServer({ name: 'deno', env: Deno.env.toObject(), getConnInfo }).catch(exitOnStartupError);

// `deno serve` hands out no handle to its listener, so a stop waits for the requests in flight.
let inFlight = 0;
server.stopOnSignals({
  async drain(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
    return inFlight > 0 ? 'timeout' : 'drained';
  },
});

export default {
  async fetch(request: Request, info: unknown): Promise<Response> {
    inFlight++;
    try {
      return await server.fetch(request, info);
    } finally {
      inFlight--;
    }
  },
  onListen(address: DenoAddr): void {
    // `deno serve` listens on 0.0.0.0 unless told otherwise: say so when that is not what HOST asks for.
    if (address.hostname !== server.config.host) {
      console.warn(`deno serve listens on ${address.hostname}, not HOST=${server.config.host}: pass --host`);
    }
    server.listening(address);
  },
};
