import { describe, expect, it } from 'vitest';
import {
  generateWebhookSecret,
  signWebhook,
  verifyWebhook,
  WebhookVerificationError,
  webhookHeaders,
} from './webhook-signature.ts';

// The example from the Standard Webhooks specification, so other implementations agree with ours.
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const specTime = new Date(SPEC.timestamp * 1000);
const specHeaders = () => ({
  'webhook-id': SPEC.id,
  'webhook-timestamp': String(SPEC.timestamp),
  'webhook-signature': SPEC.signature,
});

describe('Standard Webhooks signatures', () => {
  it('Should sign the specification example exactly as the specification does', async () => {
    expect(await signWebhook(SPEC.secret, SPEC.id, SPEC.timestamp, SPEC.body)).toBe(SPEC.signature);
    expect(await webhookHeaders(SPEC.secret, SPEC.id, SPEC.body, specTime)).toEqual(specHeaders());
  });

  it('Should generate whsec_ secrets of 24 random bytes', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(atob(secret.slice(6))).toHaveLength(24);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  it('Should verify a signed message and return its parsed body, from Headers or a plain record', async () => {
    expect(await verifyWebhook(SPEC.secret, specHeaders(), SPEC.body, { now: specTime })).toEqual({
      test: 2432232314,
    });
    const secret = generateWebhookSecret();
    const body = JSON.stringify({ type: 'item.created', data: { id: 1 } });
    const headers = new Headers(await webhookHeaders(secret, 'job-1', body));
    expect(await verifyWebhook(secret, headers, body)).toEqual({ type: 'item.created', data: { id: 1 } });
  });

  it('Should accept a matching signature among several (secret rotation)', async () => {
    const headers = { ...specHeaders(), 'webhook-signature': `v1,bm90IGl0 v2,whatever ${SPEC.signature}` };
    await expect(verifyWebhook(SPEC.secret, headers, SPEC.body, { now: specTime })).resolves.toBeTruthy();
  });

  it('Should reject a tampered body, another id, a wrong secret and missing headers', async () => {
    const reject = (secret: string, headers: Record<string, string>, body: string) =>
      expect(verifyWebhook(secret, headers, body, { now: specTime })).rejects.toThrow(WebhookVerificationError);
    await reject(SPEC.secret, specHeaders(), '{"test": 2432232315}');
    await reject(SPEC.secret, { ...specHeaders(), 'webhook-id': 'msg_other' }, SPEC.body);
    await reject(generateWebhookSecret(), specHeaders(), SPEC.body);
    await reject(SPEC.secret, { ...specHeaders(), 'webhook-signature': 'v1,not base64!' }, SPEC.body);
    const { 'webhook-signature': _, ...unsigned } = specHeaders();
    await reject(SPEC.secret, unsigned, SPEC.body);
  });

  it('Should reject a timestamp outside the tolerance either way, and honour a custom tolerance', async () => {
    const at = (seconds: number) => new Date((SPEC.timestamp + seconds) * 1000);
    const verify = (now: Date, toleranceSeconds?: number) =>
      verifyWebhook(SPEC.secret, specHeaders(), SPEC.body, { now, toleranceSeconds });
    await expect(verify(at(301))).rejects.toThrow('tolerance');
    await expect(verify(at(-301))).rejects.toThrow('tolerance');
    await expect(verify(at(299))).resolves.toBeTruthy();
    await expect(verify(at(30), 10)).rejects.toThrow('tolerance');
    const headers = { ...specHeaders(), 'webhook-timestamp': '1614265330.5' };
    await expect(verifyWebhook(SPEC.secret, headers, SPEC.body, { now: specTime })).rejects.toThrow('unix seconds');
  });
});
