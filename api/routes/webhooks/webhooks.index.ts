import { createRouter } from '../../lib/create-router.ts';
import * as handlers from './webhooks.handlers.ts';
import * as routes from './webhooks.routes.ts';

export const webhooksRouter = createRouter()
  .openapi(routes.create, handlers.create)
  .openapi(routes.list, handlers.list)
  .openapi(routes.get, handlers.get)
  .openapi(routes.update, handlers.update)
  .openapi(routes.remove, handlers.remove)
  .openapi(routes.rotateSecret, handlers.rotateSecret);
