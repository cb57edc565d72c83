import { createRedactor } from './observability/redact.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /**
   * A warning that may repeat on every request or poll while a dependency is down: at
   * most one line per message and `route` each throttle interval, the next one saying
   * how many were left out (`suppressed`).
   */
  warnThrottled(msg: string, fields?: LogFields): void;
  /** Whether a line of this level would be written (skip building expensive fields when not). */
  enabled(level: Exclude<LogLevel, 'silent'>): boolean;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface LoggerOptions {
  level: LogLevel;
  /** Where lines go; defaults to `console.log`, which is stdout on Node and the log stream on Workers. */
  write?: (line: string) => void;
  clock?: () => Date;
  /** Keys redacted on top of the defaults (passwords, tokens, secrets, cookies, authorization, signatures). */
  redactKeys?: readonly string[];
  /** The interval of `warnThrottled`, in ms (default 10 s). */
  throttleMs?: number;
}

const DEFAULT_THROTTLE_MS = 10_000;
// Keys are messages and route templates, a bounded set; the cap guards against a caller that is not.
const MAX_THROTTLE_KEYS = 500;

/**
 * A JSON-lines logger: one object per line, same fields on every runtime. Values
 * under secret-looking keys are redacted at any depth, whoever logs them.
 */
export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => console.log(line));
  const clock = options.clock ?? (() => new Date());
  const redact = createRedactor(options.redactKeys);
  const threshold = RANK[options.level];
  const log = (level: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: LogFields) => {
    if (RANK[level] < threshold) return;
    const line: LogFields = { time: clock().toISOString(), level, msg };
    // Fields land in the line itself; an error or a list given as fields is spread as before.
    const safe = fields ? redact(fields, line) : line;
    if (safe !== line && typeof safe === 'object') Object.assign(line, safe);
    write(JSON.stringify(line));
  };
  const warn = log('warn');
  const throttleMs = options.throttleMs ?? DEFAULT_THROTTLE_MS;
  const throttled = new Map<string, { at: number; suppressed: number }>();
  const warnThrottled = (msg: string, fields?: LogFields) => {
    if (RANK.warn < threshold) return;
    const key = `${msg}\u0000${typeof fields?.route === 'string' ? fields.route : ''}`;
    const now = clock().getTime();
    const seen = throttled.get(key);
    if (seen && now - seen.at < throttleMs) {
      seen.suppressed++;
      return;
    }
    if (!seen && throttled.size >= MAX_THROTTLE_KEYS) throttled.clear();
    throttled.set(key, { at: now, suppressed: 0 });
    warn(msg, seen?.suppressed ? { ...fields, suppressed: seen.suppressed } : fields);
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warn,
    error: log('error'),
    warnThrottled,
    enabled: (level) => RANK[level] >= threshold,
  };
}
