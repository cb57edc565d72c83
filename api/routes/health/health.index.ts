import { createRouter } from '../../lib/create-router.ts';
import { live, readyHandler } from './health.handlers.ts';
import * as routes from './health.routes.ts';

export function healthRouter(startedAt: Date) {
  return createRouter().openapi(routes.live, live).openapi(routes.ready, readyHandler(startedAt));
}
