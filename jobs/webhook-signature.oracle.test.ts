import { WebhookVerificationError as LibraryVerificationError, Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  generateWebhookSecret,
  signWebhook,
  verifyWebhook,
  WebhookVerificationError,
  webhookHeaders,
} from './webhook-signature.ts';

/**
 * The Standard Webhooks reference library (`standardwebhooks`, a devDependency) as an
 * oracle: it must accept what we send, and we must accept what it sends. Its `verify`
 * reads the real clock, so these tests sign at the real time and move timestamps far
 * past its five-minute tolerance.
 */
const bodies = [
  JSON.stringify({ type: 'item.created', timestamp: '2031-05-01T00:00:00.000Z', data: { id: 'a', tags: [] } }),
  JSON.stringify({ type: 'item.updated', data: { title: 'Grüße, 東京 🚀', description: 'line\nbreak "quoted"' } }),
  '{}',
];
const minutes = (n: number) => new Date(Date.now() + n * 60_000);
const headersOf = (id: string, at: Date, signature: string) => ({
  'webhook-id': id,
  'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
  'webhook-signature': signature,
});

describe('Standard Webhooks signatures against the reference library', () => {
  it('Should produce the signature the library computes, for the same secret, id, time and body', async () => {
    for (const body of bodies) {
      const secret = generateWebhookSecret();
      const at = new Date();
      const ours = await signWebhook(secret, 'job-1', Math.floor(at.getTime() / 1000), body);
      expect(ours).toBe(new Webhook(secret).sign('job-1', at, body));
    }
  });

  it('Should send headers the library accepts, handing back the body it signed', async () => {
    for (const body of bodies) {
      const secret = generateWebhookSecret();
      const headers = await webhookHeaders(secret, crypto.randomUUID(), body);
      expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    }
  });

  it('Should accept what the library signs, also as one signature among several (rotation)', async () => {
    for (const body of bodies) {
      const secret = generateWebhookSecret();
      const at = new Date();
      const signature = new Webhook(secret).sign('msg_1', at, body);
      expect(await verifyWebhook(secret, headersOf('msg_1', at, signature), body)).toEqual(JSON.parse(body));
      const retired = new Webhook(generateWebhookSecret()).sign('msg_1', at, body);
      const both = headersOf('msg_1', at, `${retired} ${signature}`);
      expect(await verifyWebhook(secret, both, body)).toEqual(JSON.parse(body));
      expect(new Webhook(secret).verify(body, both)).toEqual(JSON.parse(body));
    }
  });

  it('Should be refused by both for a tampered body, another id, a wrong secret, or a stale or future timestamp', async () => {
    const secret = generateWebhookSecret();
    const [body] = bodies as [string];
    const sent = await webhookHeaders(secret, 'job-1', body);
    const stale = minutes(-10);
    const future = minutes(10);
    const cases: Array<[string, string, Record<string, string>, string]> = [
      ['tampered body', secret, sent, body.replace('item.created', 'item.deleted')],
      ['another id', secret, { ...sent, 'webhook-id': 'job-2' }, body],
      ['wrong secret', generateWebhookSecret(), sent, body],
      ['stale timestamp', secret, await webhookHeaders(secret, 'job-1', body, stale), body],
      ['future timestamp', secret, await webhookHeaders(secret, 'job-1', body, future), body],
      [
        'stale, signed by the library',
        secret,
        headersOf('job-1', stale, new Webhook(secret).sign('job-1', stale, body)),
        body,
      ],
    ];
    for (const [what, key, headers, payload] of cases) {
      expect(() => new Webhook(key).verify(payload, headers), what).toThrow(LibraryVerificationError);
      await expect(verifyWebhook(key, headers, payload), what).rejects.toThrow(WebhookVerificationError);
    }
  });
});
