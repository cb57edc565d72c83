import { createRouter } from '../../lib/create-router.ts';
import { scrape } from './metrics.handlers.ts';
import * as routes from './metrics.routes.ts';

export const metricsRouter = createRouter().openapi(routes.scrape, scrape);
