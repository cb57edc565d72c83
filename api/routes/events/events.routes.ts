import { z } from '@hono/zod-openapi';
import { protectedRoute } from '../route.ts';
import { EventsHeadersSchema, EventsQuerySchema } from './events.schemas.ts';

export const stream = protectedRoute('items:read', {
  method: 'get',
  path: '/api/v1/events',
  tags: ['Events'],
  summary: 'Follow changes',
  description:
    'A Server-Sent Events stream of what changed, from the audit trail, in the order transactions finished: ' +
    'items (with the item in its API shape) and jobs for every role; users, API keys, webhooks and settings ' +
    'for admins. Each event has its audit id as `id:`, so `EventSource` resumes after a disconnect with ' +
    '`Last-Event-ID` and loses and repeats nothing. Comments (`: keep-alive`) keep idle connections open; ' +
    '`retry:` says when to reconnect. A caller may hold a few streams at once (429 beyond); a stream ends after ' +
    'its longest life with an `end` event, and a client that stops reading is dropped.',
  request: { query: EventsQuerySchema, headers: EventsHeadersSchema },
  responses: {
    200: {
      description: 'The stream: `event: <type>`, `id: <audit id>`, `data: <ChangeEvent JSON>`.',
      content: {
        'text/event-stream': { schema: z.string().openapi({ example: 'event: item.updated\nid: 42\ndata: {…}\n\n' }) },
      },
    },
  },
});

export type StreamRoute = typeof stream;
