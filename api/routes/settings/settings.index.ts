import { createRouter } from '../../lib/create-router.ts';
import * as handlers from './settings.handlers.ts';
import * as routes from './settings.routes.ts';

export const settingsRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.put, handlers.put)
  .openapi(routes.reset, handlers.reset);
