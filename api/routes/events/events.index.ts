import { createRouter } from '../../lib/create-router.ts';
import * as handlers from './events.handlers.ts';
import * as routes from './events.routes.ts';

export const eventsRouter = createRouter().openapi(routes.stream, handlers.stream);
