/**
 * `npm start`: builds the dashboard when there is none yet, then runs the Node entry in
 * this same process. One process instead of a `prestart` step and a second `tsx` boot
 * (each costs a Node start-up and the TypeScript loader): about 0.4 s off every start.
 */
import { ensureWebBuild } from './ensure-web-build.ts';

await ensureWebBuild();
await import('../api/entries/node.ts');
