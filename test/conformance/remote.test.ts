import { describe, it } from 'vitest';
import { conformanceSuite } from './suite.ts';

/** `BASE_URL=https://… npm run test:conformance` checks any running instance. */
const baseUrl = process.env.CONFORMANCE_BASE_URL;

if (baseUrl) {
  conformanceSuite(`remote ${baseUrl}`, () => baseUrl);
} else {
  describe('conformance: remote instance', () => {
    it.skip('skipped: set BASE_URL to run the suite against a running instance', () => {});
  });
}
