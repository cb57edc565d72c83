import { createRouter } from '../../lib/create-router.ts';
import * as handlers from './reports.handlers.ts';
import * as routes from './reports.routes.ts';

export const reportsRouter = createRouter().openapi(routes.create, handlers.create).openapi(routes.get, handlers.get);
