import { createRouter } from '../../lib/create-router.ts';
import * as handlers from './users.handlers.ts';
import * as routes from './users.routes.ts';

export const usersRouter = createRouter()
  .openapi(routes.list, handlers.list)
  // Before `/users/{id}`, which would otherwise claim the path (and refuse it as a malformed id).
  .openapi(routes.lookup, handlers.lookup)
  .openapi(routes.get, handlers.get)
  .openapi(routes.create, handlers.create)
  .openapi(routes.update, handlers.update);
