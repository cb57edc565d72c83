import { createRouter } from '../../lib/create-router.ts';
import * as handlers from './imports.handlers.ts';
import * as routes from './imports.routes.ts';

export const importsRouter = createRouter().openapi(routes.importItems, handlers.importItems);
