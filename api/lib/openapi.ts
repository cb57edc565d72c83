import { Scalar } from '@scalar/hono-api-reference';
import type { AppDeps, AppOpenAPI } from './types.ts';

/** Serves the OpenAPI 3.1 document and an interactive reference page for it. */
export function registerDocs(app: AppOpenAPI, deps: AppDeps): void {
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Edgeplane API',
      version: deps.config.version,
      description:
        'Items, jobs, audit and health for the Edgeplane platform. Errors are RFC 9457 problem documents ' +
        '(`application/problem+json`) with a stable `code` and the request id; every response carries `X-Request-Id`.',
    },
    tags: [
      { name: 'Items', description: 'Work items with optimistic concurrency and an audit trail.' },
      { name: 'Jobs', description: 'Background jobs: state in Postgres, delivery by QStash or the dispatcher.' },
      { name: 'Webhooks', description: 'Outgoing webhooks: item events POSTed to subscribers, signed and retried.' },
      { name: 'Imports', description: 'Bulk import of items from CSV or JSON, run as a process-data job.' },
      { name: 'Health', description: 'Liveness and readiness probes.' },
    ],
  });
  app.get('/docs', Scalar({ url: '/openapi.json', pageTitle: 'Edgeplane API reference' }));
}
