import { fileURLToPath } from 'node:url';
import { spawnTs } from '../../dev/child-process.ts';
import type { LoadMessage, LoadResult, LoadSpec } from './load-spec.ts';

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
    child.process.send(spec);
    const message = await reply;
    if (message.type === 'error') throw new Error(`load generation failed: ${message.message}`);
    return message.result;
  } finally {
    await child.stop();
  }
}
