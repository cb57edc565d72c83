import { fileURLToPath } from 'node:url';

/** Where `npm run build:web` writes the dashboard; the Node entry and Workers assets serve it from here. */
export const WEB_DIST = fileURLToPath(new URL('../dist/web', import.meta.url));
