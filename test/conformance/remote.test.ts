import { describe, it } from 'vitest';
import { conformanceSuite } from './suite.ts';

/** `BASE_URL=https://… CONFORMANCE_EMAIL=… CONFORMANCE_PASSWORD=… npm run test:conformance` checks any instance. */
const baseUrl = process.env.CONFORMANCE_BASE_URL;

const email = process.env.CONFORMANCE_EMAIL;
const password = process.env.CONFORMANCE_PASSWORD;

if (baseUrl && email && password) {
  conformanceSuite(
    `remote ${baseUrl}`,
    () => baseUrl,
    () => ({ email, password }),
  );
} else {
  describe('conformance: remote instance', () => {
    it.skip('skipped: set BASE_URL, CONFORMANCE_EMAIL and CONFORMANCE_PASSWORD (an admin) to run it', () => {});
  });
}
