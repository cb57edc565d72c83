import { describe, expect, it } from 'vitest';
import { readTimestamptz } from './timestamptz.ts';

describe('timestamptz as Postgres renders it', () => {
  it.each([
    ['2026-12-07 14:46:12.524+00', '2026-12-07T14:46:12.524Z'],
    ['2026-12-07 15:46:12.5+01', '2026-12-07T14:46:12.500Z'],
    ['2026-12-07 14:46:12+00', '2026-12-07T14:46:12.000Z'],
    ['0100-01-01 00:00:00+00', '0100-01-01T00:00:00.000Z'],
    // `new Date` alone reads these as 2001, 2049 and 1999.
    ['0001-01-01 00:00:00+00', '0001-01-01T00:00:00.000Z'],
    ['0049-06-01 12:00:00.123+05:30', '0049-06-01T06:30:00.123Z'],
    ['0099-12-31 23:59:59.999-02', '0100-01-01T01:59:59.999Z'],
    // `new Date` alone gives NaN: an offset with seconds (local mean time), a BC year.
    ['1850-01-01 00:09:21+00:09:21', '1850-01-01T00:00:00.000Z'],
    ['0044-03-15 12:00:00+00 BC', '-000043-03-15T12:00:00.000Z'],
    ['10000-01-01 00:00:00+00', '+010000-01-01T00:00:00.000Z'],
  ])('Should read %s as %s', (text, instant) => {
    expect(readTimestamptz(text).toISOString()).toBe(instant);
  });

  it('Should keep what is not a rendered instant as `new Date` reads it', () => {
    expect(readTimestamptz('infinity').getTime()).toBeNaN();
    expect(readTimestamptz('2026-12-07T14:46:12.524Z').toISOString()).toBe('2026-12-07T14:46:12.524Z');
  });
});
