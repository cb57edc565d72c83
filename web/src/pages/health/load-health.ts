import type { InferResponseType } from 'hono/client';
import { ApiProblem, api, call } from '../../lib/api.ts';

type Ready = InferResponseType<typeof api.health.ready.$get, 200>;

/** Readiness as the page shows it, whether the API answered 200 or 503. */
export interface Health {
  ready: boolean;
  /** Why it is not ready (the problem's detail). */
  detail?: string;
  version?: string;
  uptimeSeconds?: number;
  checks: Ready['checks'];
  queue?: Ready['queue'];
  checkedAt: number;
}

/**
 * Asks /health/ready. A 503 is an answer here, not a failure: its problem document
 * still carries `checks`, which say which dependency is down.
 */
export async function loadHealth(): Promise<Health> {
  const checkedAt = Date.now();
  try {
    const ready = await call(api.health.ready.$get());
    return { ready: true, ...ready, checkedAt };
  } catch (error) {
    if (!(error instanceof ApiProblem) || error.status !== 503 || !error.problem) throw error;
    return { ready: false, detail: error.problem.detail, checks: error.problem.checks ?? {}, checkedAt };
  }
}
