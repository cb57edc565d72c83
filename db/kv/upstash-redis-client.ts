/**
 * The Worker's `@upstash/redis/cloudflare` (wrangler.toml `[alias]`): the package's `Redis`
 * for the commands db/kv/upstash.ts sends (GET, MGET, SET, DEL, PING, and INCR with EXPIRE
 * in a MULTI/EXEC), over Upstash's REST API as the package's 1.39 release speaks it: the
 * same requests, base64 replies, read-your-writes token, retries, abort handling, and
 * auto-pipelining of the commands issued together. Node, Deno and Bun use the package.
 *
 * Why it exists: the package's `Redis` class holds each of its 200-odd commands as a
 * field, so bundling it keeps all of them (90 KiB of the minified Worker, 20 KiB gzip), and
 * the package exports no smaller client. `upstash-redis-client.test.ts` holds this one to
 * the package: the same requests and results for the same replies.
 *
 * Left out on purpose: every other command, telemetry headers (the store turns them off),
 * latency logging, and the console warnings about a missing URL or token (the settings
 * schema requires both).
 */

type Serialized = string | number | boolean;
type Deserialize = (result: unknown) => unknown;
interface Reply {
  result?: unknown;
  error?: string;
}

export interface RedisConfig {
  url: string;
  token: string;
  automaticDeserialization?: boolean;
  retry?: false | { retries?: number; backoff?: (retryCount: number) => number };
  signal?: AbortSignal | (() => AbortSignal);
  responseEncoding?: false | 'base64';
  readYourWrites?: boolean;
  keepAlive?: boolean;
  enableAutoPipelining?: boolean;
  enableTelemetry?: boolean;
}

export class UpstashError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UpstashError';
  }
}

export class UrlError extends Error {
  constructor(url: string) {
    super(
      `Upstash Redis client was passed an invalid URL. You should pass a URL starting with https. Received: "${url}". `,
    );
    this.name = 'UrlError';
  }
}

export class UpstashJSONParseError extends UpstashError {
  constructor(body: string, options?: ErrorOptions) {
    super(`Unable to parse response body: ${body.length > 200 ? `${body.slice(0, 200)}...` : body}`, options);
    this.name = 'UpstashJSONParseError';
  }
}

export const errors = { UpstashError, UpstashJSONParseError, UrlError };

/** One REST request; what the package's HttpClient does for the commands above. */
class HttpClient {
  private readonly headers: Record<string, string>;
  private readonly attempts: number;
  private readonly backoff: (retryCount: number) => number;
  private readonly base64: boolean;
  readYourWrites: boolean;
  syncToken = '';

  constructor(
    private readonly baseUrl: string,
    token: string,
    private readonly config: RedisConfig,
  ) {
    if (baseUrl && !/^https?:\/\/[^\s#$./?].\S*$/.test(baseUrl)) throw new UrlError(baseUrl);
    this.base64 = (config.responseEncoding ?? 'base64') === 'base64';
    this.headers = { 'Content-Type': 'application/json', authorization: `Bearer ${token}` };
    if (this.base64) this.headers['Upstash-Encoding'] = 'base64';
    this.readYourWrites = config.readYourWrites ?? true;
    const retry = config.retry;
    this.attempts = retry === false ? 1 : (retry?.retries ?? 5);
    this.backoff = retry === false ? () => 0 : (retry?.backoff ?? ((n) => Math.exp(n) * 50));
  }

  async request(body: unknown, path: string[] = []): Promise<Reply | Reply[]> {
    if (this.readYourWrites) this.headers['upstash-sync-token'] = this.syncToken;
    const signal = typeof this.config.signal === 'function' ? this.config.signal() : this.config.signal;
    const init: RequestInit = {
      method: 'POST',
      headers: { ...this.headers },
      body: JSON.stringify(body),
      keepalive: this.config.keepAlive ?? true,
      signal,
    };
    let response: Response | undefined;
    let failure: unknown;
    for (let i = 0; i <= this.attempts; i++) {
      try {
        response = await fetch([this.baseUrl, ...path].join('/'), init);
        break;
      } catch (error) {
        // A timeout from a signal function is the caller's decision: no retry.
        if (signal?.aborted && typeof this.config.signal === 'function') throw error;
        if (signal?.aborted) {
          // A signal given once, already aborted: the package answers with its reason as the result.
          const reason = signal.reason ?? 'Aborted';
          response = new Response(new Blob([JSON.stringify({ result: reason })]), {
            status: 200,
            statusText: `${reason}`,
          });
          break;
        }
        failure = error;
        if (i < this.attempts) await new Promise((resolve) => setTimeout(resolve, this.backoff(i)));
      }
    }
    if (!response) throw failure ?? new Error('Exhausted all retries');
    if (!response.ok) {
      const failed = (await parseJson(response)) as Reply;
      throw new UpstashError(`${failed.error}, command was: ${JSON.stringify(body)}`);
    }
    if (this.readYourWrites) this.syncToken = response.headers.get('upstash-sync-token') ?? '';
    const reply = (await parseJson(response)) as Reply | Reply[];
    if (!this.base64) return reply;
    if (Array.isArray(reply)) return reply.map(({ result, error }) => ({ result: decode(result), error }));
    return { result: decode(reply.result), error: reply.error };
  }
}

async function parseJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UpstashJSONParseError(text, { cause: error });
  }
}

// Every string in a base64 reply is base64 except the status "OK"; numbers and null are as they are.
function decode(raw: unknown): unknown {
  if (raw === undefined || typeof raw === 'number') return raw;
  if (typeof raw === 'string') return raw === 'OK' ? 'OK' : base64decode(raw);
  if (Array.isArray(raw)) {
    return raw.map((v) => (typeof v === 'string' ? base64decode(v) : Array.isArray(v) ? v.map(decode) : v));
  }
  return typeof raw === 'object' ? null : undefined;
}

function base64decode(text: string): string {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)));
  } catch {
    return text;
  }
}

/** The package's automatic deserialization: JSON where a reply parses as JSON (and a number stays what it says). */
function parseResponse(result: unknown): unknown {
  try {
    return parseRecursive(result);
  } catch {
    return result;
  }
}

function parseRecursive(value: unknown): unknown {
  const parsed = Array.isArray(value)
    ? value.map((v) => {
        try {
          return parseRecursive(v);
        } catch {
          return v;
        }
      })
    : JSON.parse(value as string);
  return typeof parsed === 'number' && parsed.toString() !== value ? value : parsed;
}

const serialize = (arg: unknown): Serialized =>
  typeof arg === 'string' || typeof arg === 'number' || typeof arg === 'boolean' ? arg : JSON.stringify(arg);

interface SetOptions {
  nx?: boolean;
  xx?: boolean;
  get?: boolean;
  ex?: number;
  px?: number;
  exat?: number;
  pxat?: number;
  keepTtl?: boolean;
}

/** Each command as the package spells it. */
const COMMANDS = {
  get: (...args: unknown[]) => ['get', ...args],
  mget: (...args: unknown[]) => ['mget', ...(Array.isArray(args[0]) ? args[0] : args)],
  set: (key: unknown, value: unknown, opts?: SetOptions) => {
    const command: unknown[] = ['set', key, value];
    if (!opts) return command;
    if (opts.nx) command.push('nx');
    else if (opts.xx) command.push('xx');
    if (opts.get) command.push('get');
    if (typeof opts.ex === 'number') command.push('ex', opts.ex);
    else if (typeof opts.px === 'number') command.push('px', opts.px);
    else if (typeof opts.exat === 'number') command.push('exat', opts.exat);
    else if (typeof opts.pxat === 'number') command.push('pxat', opts.pxat);
    else if (opts.keepTtl) command.push('keepTtl');
    return command;
  },
  del: (...args: unknown[]) => ['del', ...args],
  incr: (...args: unknown[]) => ['incr', ...args],
  // The package drops falsy arguments here (an omitted option, but also a 0).
  expire: (...args: unknown[]) => ['expire', ...args.filter(Boolean)],
  // Its argument is the command's argument list: ping(['hello']).
  ping: (args?: unknown) =>
    (args as unknown[] | undefined)?.[0] === undefined ? ['ping'] : ['ping', (args as unknown[])[0]],
};
type Name = keyof typeof COMMANDS;

/** A command's request body: the package's spelling of it, each argument serialized. */
const encode = (name: Name, args: unknown[]): Serialized[] =>
  (COMMANDS[name] as (...a: unknown[]) => unknown[])(...args).map(serialize);
// The auto-pipeline sends reads and writes in separate pipelines.
const READS = new Set<Name>(['get', 'mget', 'ping']);
const MAX_PIPELINE_SIZE = 1000;

interface Queued {
  command: Serialized[];
  deserialize: Deserialize;
}

/** A pipeline (`/pipeline`) or a transaction (`/multi-exec`) of commands, sent by `exec`. */
class Pipeline {
  readonly commands: Queued[] = [];
  constructor(
    private readonly client: HttpClient,
    private readonly deserialize: Deserialize,
    private readonly multiExec: boolean,
  ) {}

  add(name: Name, args: unknown[]): this {
    this.commands.push({ command: encode(name, args), deserialize: this.deserialize });
    return this;
  }

  get = (...args: unknown[]) => this.add('get', args);
  mget = (...args: unknown[]) => this.add('mget', args);
  set = (...args: unknown[]) => this.add('set', args);
  del = (...args: unknown[]) => this.add('del', args);
  incr = (...args: unknown[]) => this.add('incr', args);
  expire = (...args: unknown[]) => this.add('expire', args);
  ping = (...args: unknown[]) => this.add('ping', args);

  exec = async (options?: { keepErrors?: boolean }): Promise<unknown[]> => {
    if (this.commands.length === 0) throw new Error('Pipeline is empty');
    const replies = (await this.client.request(
      this.commands.map((c) => c.command),
      [this.multiExec ? 'multi-exec' : 'pipeline'],
    )) as Reply[];
    return replies.map(({ error, result }, i) => {
      const queued = this.commands[i] as Queued;
      if (options?.keepErrors) return { error, result: queued.deserialize(result) };
      if (error) throw new UpstashError(`Command ${i + 1} [ ${queued.command[0]} ] failed: ${error}`);
      return queued.deserialize(result);
    });
  };
}

/** Upstash's REST API as the package's `Redis` (from `@upstash/redis/cloudflare`) offers it. */
export class Redis {
  private readonly client: HttpClient;
  private readonly deserialize: Deserialize;
  private readonly autoPipelining: boolean;
  private active: Record<'read' | 'write', Pipeline | null> = { read: null, write: null };
  private readonly sent = new WeakMap<Pipeline, Promise<unknown[]>>();

  constructor(config: RedisConfig) {
    this.client = new HttpClient((config.url || '').replace(/\/$/, ''), config.token, config);
    this.deserialize = config.automaticDeserialization === false ? (x) => x : parseResponse;
    this.autoPipelining = config.enableAutoPipelining ?? true;
  }

  get = (...args: unknown[]) => this.run('get', args);
  mget = (...args: unknown[]) => this.run('mget', args);
  set = (...args: unknown[]) => this.run('set', args);
  del = (...args: unknown[]) => this.run('del', args);
  incr = (...args: unknown[]) => this.run('incr', args);
  expire = (...args: unknown[]) => this.run('expire', args);
  ping = (...args: unknown[]) => this.run('ping', args);

  pipeline = () => new Pipeline(this.client, this.deserialize, false);
  multi = () => new Pipeline(this.client, this.deserialize, true);

  private async run(name: Name, args: unknown[]): Promise<unknown> {
    if (this.autoPipelining) return this.autoPipelined(READS.has(name) ? 'read' : 'write', name, args);
    const { result, error } = (await this.client.request(encode(name, args))) as Reply;
    if (error) throw new UpstashError(error);
    if (result === undefined) throw new TypeError('Request did not return a result');
    return this.deserialize(result);
  }

  /** Commands issued in the same turn go in one pipeline per kind, sent once that turn is over. */
  private async autoPipelined(mode: 'read' | 'write', name: Name, args: unknown[]): Promise<unknown> {
    let pipeline = this.active[mode];
    if (!pipeline) {
      pipeline = this.pipeline();
      this.active[mode] = pipeline;
    }
    const index = pipeline.commands.length;
    pipeline.add(name, args);
    if (pipeline.commands.length >= MAX_PIPELINE_SIZE) this.active[mode] = null;
    await Promise.resolve();
    await Promise.resolve();
    let sent = this.sent.get(pipeline);
    if (!sent) {
      sent = pipeline.exec({ keepErrors: true });
      this.sent.set(pipeline, sent);
      if (this.active.read === pipeline) this.active.read = null;
      if (this.active.write === pipeline) this.active.write = null;
    }
    const reply = (await sent)[index] as Reply;
    if (reply.error) throw new UpstashError(`Command failed: ${reply.error}`);
    return reply.result;
  }
}
