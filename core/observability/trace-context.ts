/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` header
 * and the ids in it. Hand-written: the format is one line, and this keeps the Worker
 * free of a tracing SDK.
 */

/** Which trace a unit of work belongs to, and the span that is its parent. */
export interface SpanContext {
  /** 32 lowercase hex digits, never all zeros. */
  traceId: string;
  /** 16 lowercase hex digits, never all zeros. */
  spanId: string;
  /** The sampled flag: whether the spans of this trace are recorded. */
  sampled: boolean;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/**
 * Parses a `traceparent` header; undefined when absent or invalid (a new trace
 * starts then, as the spec asks). Later versions are read as version 00.
 */
export function parseTraceparent(header: string | null | undefined): SpanContext | undefined {
  if (!header || header.length > 512) return undefined;
  const match = TRACEPARENT.exec(header.trim().toLowerCase());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

/** The `traceparent` header that makes `context` the parent of the receiver's work. */
export function formatTraceparent(context: SpanContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.sampled ? '01' : '00'}`;
}

// Random bytes are drawn in blocks: one getRandomValues call per 256 ids instead of one
// per id (the call's fixed cost dominates on Node), and hex comes from a table.
const POOL_BYTES = 4_096;
const pool = new Uint8Array(POOL_BYTES);
let used = POOL_BYTES;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function randomHex(bytes: number): string {
  if (used + bytes > POOL_BYTES) {
    crypto.getRandomValues(pool);
    used = 0;
  }
  let out = '';
  for (let i = used; i < used + bytes; i++) out += HEX[pool[i] as number];
  used += bytes;
  return out;
}

/** A random trace id (16 bytes). */
export const newTraceId = (): string => {
  const id = randomHex(16);
  return id === ZERO_TRACE ? newTraceId() : id;
};

/** A random span id (8 bytes). */
export const newSpanId = (): string => {
  const id = randomHex(8);
  return id === ZERO_SPAN ? newSpanId() : id;
};
