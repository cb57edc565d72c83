import { TrieRouter } from 'hono/router/trie-router';

/** The order `Allow` lists methods in. */
const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

interface RouteEntry {
  method: string;
  path: string;
}

/**
 * The methods the app answers on a path, or none when no route has the path: what a 405
 * names in `Allow` (RFC 9110 §15.5.6) and a plain OPTIONS answers with. Built from the
 * app's routes on first use, so start-up pays nothing for it and only a request no route
 * took ever does. HEAD comes with GET, as Hono serves it; middleware (method `ALL`) is no
 * route of its own.
 */
export function allowedMethods(routes: () => readonly RouteEntry[]): (path: string) => string[] {
  let router: TrieRouter<string> | undefined;
  return (path) => {
    if (!router) {
      router = new TrieRouter<string>();
      for (const route of routes()) if (route.method !== 'ALL') router.add('ALL', route.path, route.method);
    }
    // Routes match with or without a trailing slash (the app is not strict).
    const [matches] = router.match('GET', path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path);
    const found = new Set(matches.map(([method]) => method));
    if (found.size === 0) return [];
    if (found.has('GET')) found.add('HEAD');
    found.add('OPTIONS');
    return ORDER.filter((method) => found.has(method));
  };
}
