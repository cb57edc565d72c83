import { createRouter } from '../../lib/create-router.ts';
import * as handlers from './jobs.handlers.ts';
import * as routes from './jobs.routes.ts';

export const jobsRouter = createRouter()
  .openapi(routes.deliver, handlers.deliver)
  .openapi(routes.enqueue, handlers.enqueue)
  .openapi(routes.list, handlers.list)
  .openapi(routes.get, handlers.get)
  .openapi(routes.retry, handlers.retry)
  .openapi(routes.cancel, handlers.cancel);
