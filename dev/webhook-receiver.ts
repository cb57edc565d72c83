import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '../jobs/webhook-signature.ts';

/** One request the receiver got, and what it made of it. */
export interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  /** The signature verified with the endpoint's secret at the time of the request. */
  verified: boolean;
  /** The status the receiver answered. */
  status: number;
}

export interface EndpointPlan {
  /** Statuses to answer, in order; after the last, `otherwise`. */
  statuses?: number[];
  otherwise?: number;
  /** Wait this long before answering (to exceed a sender's timeout). */
  delayMs?: number;
}

export interface Endpoint {
  url: string;
  /** Set to the webhook's secret once it is created; deliveries are verified with it. */
  secret: string;
  deliveries: Delivery[];
}

export interface WebhookReceiver {
  /** A new path on the receiver, answering by `plan`. */
  endpoint(plan?: EndpointPlan): Endpoint;
  close(): Promise<void>;
}

/**
 * A real HTTP receiver on 127.0.0.1 (port chosen by the OS), as a subscriber would
 * run one: it verifies each delivery's Standard Webhooks signature (401 when it
 * does not hold) and otherwise answers as its endpoint's plan says.
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const endpoints = new Map<string, { endpoint: Endpoint; plan: EndpointPlan }>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const entry = endpoints.get(req.url ?? '');
    if (!entry) return answer(res, 404);
    const { endpoint, plan } = entry;
    const verified = await verifyWebhook(endpoint.secret, req.headers, body).then(
      () => true,
      () => false,
    );
    const planned = plan.statuses?.[endpoint.deliveries.length] ?? plan.otherwise ?? 200;
    const status = verified ? planned : 401;
    endpoint.deliveries.push({ headers: req.headers, body, verified, status });
    if (plan.delayMs) await new Promise((resolve) => setTimeout(resolve, plan.delayMs));
    answer(res, status);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint(plan = {}) {
      const path = `/hooks/${crypto.randomUUID()}`;
      const endpoint: Endpoint = { url: `http://127.0.0.1:${port}${path}`, secret: '', deliveries: [] };
      endpoints.set(path, { endpoint, plan });
      return endpoint;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** A local port nothing listens on (it was just freed), for an unreachable receiver. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function answer(res: ServerResponse, status: number) {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'text/plain' }).end(String(status));
}
