import { pathToFileURL } from 'node:url';

/**
 * Runs `start` when the module at `moduleUrl` is the process's entry script (a
 * stand-in started from the command line, not imported by a test), and closes
 * what it started on SIGINT or SIGTERM.
 */
export function runAsCli(moduleUrl: string, name: string, start: () => Promise<{ close(): Promise<void> }>): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  start().then(
    (service) => {
      const stop = () =>
        service.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      console.error(`${name} failed to start:`, error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
