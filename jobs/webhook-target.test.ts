import { describe, expect, it } from 'vitest';
import { isPrivateTarget } from './webhook-target.ts';

describe('webhook targets', () => {
  it.each([
    'http://localhost:8080/hook',
    'http://api.localhost/hook',
    'http://127.0.0.1/hook',
    'http://10.1.2.3/hook',
    'http://172.20.0.5/hook',
    'http://192.168.1.1/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://100.64.0.1/hook',
    'http://0.0.0.0/hook',
    'http://[::1]/hook',
    'http://[fd00::1]/hook',
    'http://[fe80::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://metadata.google.internal/hook',
  ])('Should treat %s as private', (url) => {
    expect(isPrivateTarget(new URL(url))).toBe(true);
  });

  it.each(['https://example.com/hook', 'https://8.8.8.8/hook', 'http://172.32.0.1/hook', 'https://[2001:db8::1]/hook'])(
    'Should treat %s as public',
    (url) => {
      expect(isPrivateTarget(new URL(url))).toBe(false);
    },
  );
});
