/**
 * Whether a webhook URL names this host or a private network by its hostname: an
 * IP literal in a loopback, private, link-local or shared range, or `localhost`.
 * Webhooks run server-side, so such targets would let API users probe the
 * platform's own network. Names that resolve to private addresses are not caught
 * here (Workers cannot resolve names); put an egress policy in front for that.
 */
export function isPrivateTarget(url: URL): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal')) return true;
  const v4 = parseIPv4(host) ?? mappedIPv4(host);
  if (v4) return isPrivateIPv4(v4);
  if (host.includes(':')) return isPrivateIPv6(host);
  return false;
}

/** An IPv4-mapped IPv6 address (`::ffff:7f00:1`, as URL normalizes `::ffff:127.0.0.1`). */
function mappedIPv4(host: string): number[] | undefined {
  const match = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (!match) return parseIPv4(host.startsWith('::ffff:') ? host.slice(7) : '');
  const [hi, lo] = [Number.parseInt(match[1] as string, 16), Number.parseInt(match[2] as string, 16)];
  return [hi >> 8, hi & 255, lo >> 8, lo & 255];
}

function parseIPv4(host: string): number[] | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map(Number);
}

function isPrivateIPv4([a = 0, b = 0]: number[]): boolean {
  return (
    a === 0 || // "this" network
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, cloud metadata
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224 // multicast and reserved
  );
}

function isPrivateIPv6(host: string): boolean {
  if (host === '::1' || host === '::') return true;
  const first = Number.parseInt(host.split(':')[0] || '0', 16);
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80; // unique local, link-local
}
