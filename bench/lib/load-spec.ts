/** What the load process is asked to do: one route against one server. */
export interface LoadSpec {
  /** e.g. `http://127.0.0.1:41234` */
  origin: string;
  method: 'GET' | 'POST';
  /** Request paths, taken in turn (one path: every request is the same). */
  paths: string[];
  /** Headers sent with every request (the Bearer token). */
  headers?: Record<string, string>;
  /** A JSON body sent with every request. */
  body?: string;
  connections: number;
  durationSeconds: number;
  /** Load applied first and not measured. */
  warmupSeconds: number;
  /** The server's process id: its CPU time over the measured window is reported per request (Linux). */
  serverPid?: number;
}

export interface LoadResult {
  /** Mean of autocannon's per-second samples of completed requests. */
  requestsPerSecond: number;
  /** From every 2xx response's own timing (autocannon's histogram rounds to whole milliseconds). */
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  durationSeconds: number;
  completed: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** The server's CPU time (user + system) over the measured window per completed request, in µs; null where unknown. */
  serverCpuMicrosPerRequest: number | null;
}

export type LoadMessage = { type: 'result'; result: LoadResult } | { type: 'error'; message: string };
