import { createRedactor } from '../observability/redact.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
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
}

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
    const safe = fields ? (redact(fields) as LogFields) : undefined;
    write(JSON.stringify({ time: clock().toISOString(), level, msg, ...safe }));
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    enabled: (level) => RANK[level] >= threshold,
  };
}
