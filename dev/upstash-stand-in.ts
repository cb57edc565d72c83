/**
 * A local stand-in for Upstash Redis's REST API, in front of a real Redis, for
 * development and tests only.
 *
 * It speaks what `@upstash/redis` sends (`POST /` with one command as a JSON array,
 * `POST /pipeline` and `POST /multi-exec` with arrays of them, a bearer token, replies
 * base64-encoded when the client asks with `Upstash-Encoding: base64`), so the real client
 * runs end to end offline: from Node, under `wrangler dev` and inside workerd tests.
 * Every request shares one Redis connection, so commands that hold a connection's state
 * or block it are refused. It is never the production path.
 *
 *   tsx dev/upstash-stand-in.ts
 *     REDIS_URL      the Redis to forward to (default redis://127.0.0.1:6379)
 *     PORT           port on 127.0.0.1 (default 8079; 0 picks one)
 *     UPSTASH_TOKEN  the bearer token clients must send (else a random one)
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createClient, ErrorReply, MultiErrorReply, RESP_TYPES } from 'redis';
import { type LocalServer, listenLocal, readBoundedBody } from './local-server.ts';
import { runAsCli } from './run-cli.ts';
import { BadRequest, type Reply, readCommand, readCommands, toJson } from './upstash-protocol.ts';

export interface UpstashStandInOptions {
  /** The Redis every command goes to, e.g. `redis://127.0.0.1:6379`. */
  redisUrl: string;
  /** The bearer token every request must carry (401 otherwise); random by default. */
  token?: string;
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Receives one line per failed request; silent by default. */
  log?: (line: string) => void;
}

export interface UpstashStandIn {
  /** UPSTASH_REDIS_REST_URL, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** UPSTASH_REDIS_REST_TOKEN. */
  token: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Connects to Redis, then starts the stand-in on 127.0.0.1; rejects when Redis is unreachable. */
export async function startUpstashStandIn(options: UpstashStandInOptions): Promise<UpstashStandIn> {
  const token = options.token ?? `upstash_${randomBytes(16).toString('hex')}`;
  const log = options.log ?? (() => {});
  let connected = false;
  const client = createClient({
    url: options.redisUrl,
    // RESP2, as Upstash answers (a hash is a flat list, scores are strings).
    RESP: 2,
    disableOfflineQueue: true,
    // Give up at start-up (so the caller hears Redis is down); reconnect after that.
    socket: { reconnectStrategy: (retries, cause) => (connected ? Math.min(100 * 2 ** retries, 2_000) : cause) },
  });
  client.on('error', (error: Error) => log(`upstash stand-in: redis: ${error.message}`));
  await client.connect();
  connected = true;
  // Bulk strings as bytes: they are base64-encoded as stored, and told apart from the status "OK".
  const redis = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });

  let server: LocalServer;
  try {
    server = await listenLocal({
      name: 'upstash stand-in',
      port: options.port,
      log,
      handle,
      fail: (res) => reply(res, 500, { error: 'ERR the stand-in could not reach Redis' }),
    });
  } catch (error) {
    client.destroy();
    throw error;
  }
  const { port } = server;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    if (req.method === 'GET' && path === '/health') return reply(res, 200, { result: 'ok' });
    if (path !== '/' && path !== '/pipeline' && path !== '/multi-exec') {
      return reply(res, 404, { error: 'ERR not found: this stand-in serves POST /, /pipeline and /multi-exec' });
    }
    if (req.headers.authorization !== `Bearer ${token}`) return reply(res, 401, { error: 'Unauthorized' });
    if (req.method !== 'POST') return reply(res, 405, { error: 'ERR method not allowed: use POST' });
    const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
    const toReply = (result: unknown): Reply =>
      result instanceof ErrorReply ? { error: result.message } : { result: toJson(result, base64) };

    try {
      const body = await readJson(req);
      if (path === '/') {
        const answer = toReply(await redis.sendCommand(readCommand(body)).catch(keepErrorReply));
        return reply(res, 'error' in answer ? 400 : 200, answer);
      }
      const commands = readCommands(body);
      if (path === '/pipeline') {
        // Sent in one write and answered in order, but other clients' commands may interleave.
        const replies = await Promise.all(commands.map((command) => redis.sendCommand(command).catch(keepErrorReply)));
        return reply(res, 200, replies.map(toReply));
      }
      const transaction = redis.multi();
      for (const command of commands) transaction.addCommand(command);
      const replies = await transaction.exec().catch((error: unknown) => {
        // Some commands failed inside EXEC: each keeps its own reply, as Upstash answers.
        if (error instanceof MultiErrorReply) return error.replies;
        throw error;
      });
      return reply(res, 200, (replies as unknown[]).map(toReply));
    } catch (error) {
      // A transaction Redis refused as a whole (EXECABORT) is one error, like a bad request.
      if (error instanceof BadRequest) return reply(res, error.status, { error: error.message });
      if (error instanceof ErrorReply) return reply(res, 400, { error: error.message });
      throw error;
    }
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    token,
    async close() {
      await server.close();
      await client.close();
    },
  };
}

/** A Redis error reply is an answer to pass on, not a failure of the stand-in. */
function keepErrorReply(error: unknown): ErrorReply {
  if (error instanceof ErrorReply) return error;
  throw error;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const tooLarge = () => new BadRequest(`ERR body larger than ${MAX_BODY_BYTES} bytes`, 413);
  const body = await readBoundedBody(req, MAX_BODY_BYTES, tooLarge);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadRequest('ERR the body is not JSON');
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function main() {
  const env = process.env;
  const redisUrl = env.REDIS_URL || 'redis://127.0.0.1:6379';
  const standIn = await startUpstashStandIn({
    redisUrl,
    port: env.PORT ? Number(env.PORT) : 8079,
    token: env.UPSTASH_TOKEN || undefined,
    log: (line) => console.error(line),
  });
  console.log(`Upstash Redis REST stand-in (dev/test only) on ${standIn.url}, in front of ${new URL(redisUrl).host}`);
  console.log('  give the app these settings:');
  console.log(`  UPSTASH_REDIS_REST_URL=${standIn.url}`);
  console.log(`  UPSTASH_REDIS_REST_TOKEN=${standIn.token}`);
  return standIn;
}

runAsCli(import.meta.url, 'upstash stand-in', main);
