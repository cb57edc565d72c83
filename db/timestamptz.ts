import type { ColumnBaseConfig } from 'drizzle-orm';
import { PgTimestamp, PgTimestampBuilder } from 'drizzle-orm/pg-core';

/** Postgres's ISO rendering of a timestamptz: `YYYY-MM-DD HH:MM:SS[.fff…]±HH[:MM[:SS]][ BC]`. */
const RENDERED =
  /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,3})\d*)?([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?( BC)?$/;

/**
 * A timestamptz as Postgres renders it, read as the instant it is. drizzle hands this text
 * to `new Date`, whose fallback parser reads a year from 0001 to 0099 as 1950-2049 (a due
 * date in year 1 came back as 2001) and gives NaN for BC years and for the offsets with
 * seconds old dates have outside UTC. Every other value keeps `new Date`'s own reading,
 * the fast one: only those take the field by field way.
 */
export function readTimestamptz(text: string): Date {
  if (text.charCodeAt(0) !== 48 || text.charCodeAt(1) !== 48) {
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) return date;
  }
  const m = RENDERED.exec(text);
  if (!m) return new Date(text);
  const [, year, month, day, hours, minutes, seconds, millis, sign, offsetHours, offsetMinutes, offsetSeconds, bc] = m;
  const at = new Date(0);
  // setUTCFullYear, unlike Date.UTC, takes a year below 100 as it is.
  at.setUTCFullYear(bc ? 1 - Number(year) : Number(year), Number(month) - 1, Number(day));
  at.setUTCHours(Number(hours), Number(minutes), Number(seconds), millis ? Number(millis.padEnd(3, '0')) : 0);
  const offset = (Number(offsetHours) * 3600 + Number(offsetMinutes ?? 0) * 60 + Number(offsetSeconds ?? 0)) * 1000;
  return new Date(at.getTime() - (sign === '+' ? offset : -offset));
}

type TimestampConfig = ColumnBaseConfig<'date', 'PgTimestamp'>;

/** The builder config of drizzle's `timestamp(name, { mode: 'date' })`, by its own type. */
interface DateTimestampConfig {
  name: string;
  dataType: 'date';
  columnType: 'PgTimestamp';
  data: Date;
  driverParam: string;
  enumValues: undefined;
}

/** drizzle's timestamp column, reading its values with `readTimestamptz`. */
class PgTimestamptz<T extends TimestampConfig> extends PgTimestamp<T> {
  override mapFromDriverValue(value: Date | string): Date {
    return typeof value === 'string' ? readTimestamptz(value) : value;
  }
}

class PgTimestamptzBuilder extends PgTimestampBuilder<DateTimestampConfig> {
  /** drizzle builds a table's columns with this (internal in its types). */
  build(table: ConstructorParameters<typeof PgTimestamp>[0]) {
    return new PgTimestamptz(table, this.config as ConstructorParameters<typeof PgTimestamp>[1]);
  }
}

/** A `timestamp(3) with time zone` column of Dates: milliseconds, as a JavaScript Date holds them. */
export function timestamptz(name: string): PgTimestampBuilder<DateTimestampConfig> {
  return new PgTimestamptzBuilder(name, true, 3);
}
