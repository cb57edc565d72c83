import { fileURLToPath } from 'node:url';
import { spawnTs } from '../../dev/child-process.ts';
import type { LoadMessage, LoadResult, LoadSpec } from './load-spec.ts';
import { serverPid } from './servers.ts';

const RUNNER = fileURLToPath(new URL('./load-runner.ts', import.meta.url));

/** Applies load in a separate process (autocannon) and returns its measurements. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const child = spawnTs('load', RUNNER, { env: process.env, echo: true });
  try {
    const reply = new Promise<LoadMessage>((resolve, reject) => {
      child.process.once('message', (message: LoadMessage) => resolve(message));
      void child.exited.then((exit) =>
        reject(
          new Error(
            `load process exited (code ${exit.code}, signal ${exit.signal}) without a result:\n${child.output()}`,
          ),
        ),
      );
    });
    // The server's CPU per request, when this bench started it.
    child.process.send({ ...spec, serverPid: spec.serverPid ?? serverPid(spec.origin) });
    const message = await reply;
    if (message.type === 'error') throw new Error(`load generation failed: ${message.message}`);
    return message.result;
  } finally {
    await child.stop();
  }
}
