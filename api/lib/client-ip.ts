import type { Context } from 'hono';
import type { GetConnInfo } from 'hono/conninfo';

export interface ClientIpOptions {
  /** On Cloudflare Workers: Cloudflare sets `CF-Connecting-IP` and overwrites any a client sends. */
  cloudflare: boolean;
  /** Behind a proxy that sets `X-Forwarded-For` (the TRUST_PROXY setting). */
  trustProxy: boolean;
  /** The runtime's connection info (Node: `@hono/node-server/conninfo`), passed in by the entry. */
  connInfo?: GetConnInfo;
}

/**
 * The client's address, read from the one source this deployment vouches for:
 * `CF-Connecting-IP` on Workers; else the first `X-Forwarded-For` hop when TRUST_PROXY
 * says a proxy sets that header (it must replace, not append to, what the client sent);
 * else the socket's peer address. Any other header is ignored: a client choosing its own
 * address would choose its own rate-limit bucket. `unknown` when no source answers
 * (`app.request` in tests, a runtime without connection info).
 */
export function clientIp(c: Context, options: ClientIpOptions): string {
  if (options.cloudflare) {
    const ip = c.req.header('cf-connecting-ip')?.trim();
    if (ip) return ip;
  }
  if (options.trustProxy) {
    const first = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (first) return first;
  }
  try {
    return options.connInfo?.(c).remote.address ?? 'unknown';
  } catch {
    // The connection helper reads runtime bindings that requests built in-process lack.
    return 'unknown';
  }
}
