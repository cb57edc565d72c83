import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { type ClientIpOptions, clientIp } from './client-ip.ts';

/** The address `clientIp` finds for a request with these headers, the socket peer being 192.0.2.50. */
async function ipOf(headers: Record<string, string>, options: Partial<ClientIpOptions> = {}) {
  const app = new Hono();
  app.get('/', (c) =>
    c.text(
      clientIp(c, {
        cloudflare: false,
        trustProxy: false,
        connInfo: () => ({ remote: { address: '192.0.2.50', addressType: 'IPv4' } }),
        ...options,
      }),
    ),
  );
  return (await app.request('/', { headers })).text();
}

describe('client address', () => {
  const spoofed = { 'cf-connecting-ip': '203.0.113.66', 'x-forwarded-for': '203.0.113.77' };

  it('Should use the connection address and ignore forwarding headers no one vouches for', async () => {
    expect(await ipOf(spoofed)).toBe('192.0.2.50');
  });

  it('Should use CF-Connecting-IP on Workers', async () => {
    expect(await ipOf(spoofed, { cloudflare: true })).toBe('203.0.113.66');
  });

  it('Should use the first X-Forwarded-For hop only behind a trusted proxy', async () => {
    expect(await ipOf({ 'x-forwarded-for': ' 203.0.113.77 , 10.0.0.2' }, { trustProxy: true })).toBe('203.0.113.77');
    expect(await ipOf({}, { trustProxy: true })).toBe('192.0.2.50');
  });

  it('Should say unknown when the runtime exposes no connection', async () => {
    expect(await ipOf({}, { connInfo: undefined })).toBe('unknown');
    const throwing = () => {
      throw new TypeError("Cannot read properties of undefined (reading 'incoming')");
    };
    expect(await ipOf({}, { connInfo: throwing })).toBe('unknown');
  });
});
