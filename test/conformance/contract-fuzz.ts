import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * A seeded, bounded fuzzer driven by the served OpenAPI document: for every operation it
 * sends valid requests and requests with one mutation each, and checks every answer
 * against the document — a declared status, a declared media type, the body's schema,
 * problem+json on 4xx, an X-Request-Id, no 5xx and nothing internal in the body.
 */

type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: { mediaType: string; schema: Schema; required: boolean };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  pointer: string;
}
export interface OpenApiDoc {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface FuzzFinding {
  request: string;
  status: number;
  problem: string;
}

export interface FuzzOptions {
  baseUrl: string;
  token: string;
  requests: number;
  seed: number;
  /** Ids that exist (items, users…), used for path parameters half the time. */
  knownIds: string[];
  concurrency?: number;
  /** Operations left out (method and path), with the reason. */
  skip?: Record<string, string>;
}

const MUTATIONS = [
  'valid',
  'valid',
  'missing-field',
  'wrong-type',
  'out-of-range',
  'nul',
  'control',
  'huge-string',
  'malformed-json',
  'wrong-content-type',
  'deep-nesting',
  'bad-path-id',
  'bad-query',
  'anonymous',
] as const;
type Mutation = (typeof MUTATIONS)[number];

/** mulberry32: small, seeded, good enough to pick cases reproducibly. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (p: number) => next() < p,
  };
}
type Random = ReturnType<typeof random>;

function resolve(doc: OpenApiDoc, schema: Schema | undefined): Schema {
  let s = schema ?? {};
  for (let i = 0; i < 10 && typeof s.$ref === 'string'; i++) {
    const name = (s.$ref as string).split('/').pop() as string;
    s = doc.components?.schemas?.[name] ?? {};
  }
  return s;
}

/** A value the schema accepts, as far as this simple generator understands schemas. */
function valueFor(doc: OpenApiDoc, raw: Schema | undefined, rnd: Random, depth = 0): unknown {
  const s = resolve(doc, raw);
  if (Array.isArray(s.enum)) return rnd.pick(s.enum);
  if ('const' in s) return s.const;
  const options = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (options?.length) return valueFor(doc, rnd.pick(options), rnd, depth + 1);
  if (Array.isArray(s.allOf) && s.allOf.length) return valueFor(doc, s.allOf[0] as Schema, rnd, depth + 1);
  const type = Array.isArray(s.type) ? rnd.pick((s.type as string[]).filter((t) => t !== 'null')) : s.type;
  if ('default' in s && rnd.chance(0.3)) return s.default;
  switch (type) {
    case 'string': {
      switch (s.format) {
        case 'uuid':
          return crypto.randomUUID();
        case 'date-time':
          return new Date(Date.UTC(2030, rnd.int(12), 1 + rnd.int(27))).toISOString();
        case 'email':
          return `fuzz-${rnd.int(1e9)}@example.test`;
        case 'uri':
          return `https://example.test/hook/${rnd.int(1e6)}`;
      }
      const min = typeof s.minLength === 'number' ? s.minLength : 1;
      const max = typeof s.maxLength === 'number' ? Math.min(s.maxLength, 40) : 24;
      const length = Math.max(min, Math.min(max, min + rnd.int(12)));
      return `fuzz ${'x'.repeat(Math.max(0, length - 5))}`.slice(0, Math.max(length, min));
    }
    case 'integer':
    case 'number': {
      const min = typeof s.minimum === 'number' ? s.minimum : 0;
      const max = typeof s.maximum === 'number' ? s.maximum : min + 100;
      return Math.floor(min + rnd.next() * (max - min));
    }
    case 'boolean':
      return rnd.chance(0.5);
    case 'array':
      if (depth > 4) return [];
      return Array.from({ length: rnd.int(3) }, () => valueFor(doc, s.items as Schema, rnd, depth + 1));
    case 'object': {
      if (depth > 4) return {};
      const properties = (s.properties ?? {}) as Record<string, Schema>;
      const required = new Set((s.required ?? []) as string[]);
      const out: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(properties)) {
        if (required.has(key) || rnd.chance(0.5)) out[key] = valueFor(doc, property, rnd, depth + 1);
      }
      return out;
    }
    default:
      return 'fuzz';
  }
}

function operations(doc: OpenApiDoc): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      const op = raw as {
        parameters?: Parameter[];
        requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
        responses?: Operation['responses'];
      };
      const content = op.requestBody?.content ?? {};
      const mediaType = Object.keys(content)[0];
      out.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        body:
          mediaType !== undefined
            ? { mediaType, schema: content[mediaType]?.schema ?? {}, required: op.requestBody?.required ?? false }
            : undefined,
        responses: op.responses ?? {},
        pointer: `#/paths/${path.replaceAll('~', '~0').replaceAll('/', '~1')}/${method}`,
      });
    }
  }
  return out;
}

/** How wrangler dev's proxy answers a request cut short by a reload of the Worker. */
const DEV_SERVER_RELOAD = 'Your worker restarted mid-request';

const INTERNALS = [
  /\n\s+at /,
  /Failed query/i,
  /node_modules/,
  /\bselect .* from\b/i,
  /DrizzleQueryError/,
  /\bSQLSTATE\b/,
];

/** Runs the fuzzer; returns every answer the document does not allow. */
export async function fuzzContract(doc: OpenApiDoc, options: FuzzOptions) {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: 'openapi.json' });
  const validators = new Map<string, ReturnType<typeof ajv.compile>>();
  const validatorFor = (pointer: string) => {
    let v = validators.get(pointer);
    if (!v) {
      v = ajv.compile({ $ref: `openapi.json${pointer}` });
      validators.set(pointer, v);
    }
    return v;
  };

  const rnd = random(options.seed);
  const ops = operations(doc).filter((op) => !options.skip?.[`${op.method} ${op.path}`]);
  const findings: FuzzFinding[] = [];
  const statuses: Record<string, number> = {};
  let sent = 0;
  let reloads = 0;

  const one = async (op: Operation, mutation: Mutation) => {
    let path = op.path;
    const query = new URLSearchParams();
    const headers: Record<string, string> = {};
    if (mutation !== 'anonymous') headers.authorization = `Bearer ${options.token}`;
    for (const p of op.parameters) {
      const schema = resolve(doc, p.schema);
      let value: unknown =
        p.in === 'path' && schema.format === 'uuid' && options.knownIds.length && rnd.chance(0.5)
          ? rnd.pick(options.knownIds)
          : valueFor(doc, p.schema, rnd);
      if (p.in === 'path' && mutation === 'bad-path-id') value = rnd.pick(['not-an-id', '%00', 'x'.repeat(300), '0']);
      if (p.in === 'query' && mutation === 'bad-query')
        value = rnd.pick(['%00', '-1', 'x'.repeat(2000), '[]', '9'.repeat(30)]);
      if (p.in === 'path')
        path = path.replace(
          `{${p.name}}`,
          mutation === 'bad-path-id' ? String(value) : encodeURIComponent(String(value)),
        );
      else if (p.in === 'query' && (p.required || rnd.chance(0.4) || mutation === 'bad-query')) {
        const text = Array.isArray(value) ? value.join(',') : String(value);
        if (mutation === 'bad-query') path += `${path.includes('?') ? '&' : '?'}${p.name}=${text}`;
        else query.set(p.name, text);
      } else if (p.in === 'header' && p.name !== 'authorization' && (p.required || rnd.chance(0.3))) {
        headers[p.name] = String(value).replace(/[^\x20-\x7e]/g, '');
      }
    }
    let body: string | undefined;
    if (op.body) {
      // Mutations apply to one field of an object body, or to a body that is not an object as a whole.
      const generated = valueFor(doc, op.body.schema, rnd);
      const isObject = generated !== null && typeof generated === 'object' && !Array.isArray(generated);
      const value = (isObject ? generated : { root: generated }) as Record<string, unknown>;
      const keys = Object.keys(value);
      const key = keys.length ? rnd.pick(keys) : 'title';
      switch (mutation) {
        case 'missing-field':
          if (isObject && keys.length) delete value[key];
          break;
        case 'wrong-type':
          value[key] = rnd.pick([42, true, null, ['x'], { x: 1 }, 'text']);
          break;
        case 'out-of-range':
          value[key] = rnd.pick([-1, 1e12, 'y'.repeat(5_000)]);
          break;
        case 'nul':
          value[key] = `before\u0000after`;
          break;
        case 'control':
          value[key] = `a\u0001\u001f\u007f\ud800b`;
          break;
        case 'huge-string':
          value[key] = 'z'.repeat(200_000);
          break;
        case 'deep-nesting': {
          let nested: unknown = [];
          for (let i = 0; i < 2_000; i++) nested = [nested];
          value[key] = nested;
          break;
        }
      }
      const sentValue = isObject ? value : value.root;
      body = mutation === 'malformed-json' ? '{"title": "unterminated' : JSON.stringify(sentValue);
      headers['content-type'] = mutation === 'wrong-content-type' ? 'text/plain' : op.body.mediaType;
    }
    const qs = query.toString();
    const url = `${options.baseUrl}${path}${qs ? `${path.includes('?') ? '&' : '?'}${qs}` : ''}`;
    const label = `${op.method} ${op.path} [${mutation}]`;
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, { method: op.method, headers, body, signal: AbortSignal.timeout(15_000) });
      text = await bodyText(res);
      if (res.status === 503 && text.startsWith(DEV_SERVER_RELOAD)) {
        // wrangler dev's own proxy, not the Worker, answered: it reloaded the Worker while the
        // request was in flight. Sent again once, as its message says; counted in the result.
        reloads++;
        res = await fetch(url, { method: op.method, headers, body, signal: AbortSignal.timeout(15_000) });
        text = await bodyText(res);
      }
    } catch (error) {
      findings.push({ request: label, status: 0, problem: `no answer: ${(error as Error).message}` });
      return;
    }
    sent++;
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    const problem = (message: string) =>
      findings.push({
        request: `${label} ${url.slice(options.baseUrl.length, 200)}`,
        status: res.status,
        problem: message,
      });
    if (res.status >= 500) problem(`server error: ${text.slice(0, 200)}`);
    const declared = op.responses[String(res.status)] ?? op.responses.default;
    if (!declared) return void problem(`status not declared (declared: ${Object.keys(op.responses).join(', ')})`);
    if (!res.headers.get('x-request-id')) problem('no X-Request-Id');
    if (INTERNALS.some((pattern) => pattern.test(text))) problem(`internal detail in the body: ${text.slice(0, 200)}`);
    const type = res.headers.get('content-type');
    const media = declared.content ? Object.keys(declared.content) : [];
    if (res.status >= 400 && type !== 'application/problem+json')
      problem(`a ${res.status} that is not problem+json: ${type}`);
    if (media.length === 0) {
      if (text.length && res.status !== 304) problem(`a body where none is declared (${type})`);
      return;
    }
    const declaredType = media.find((m) => m === type || m.split(';')[0] === type?.split(';')[0]);
    if (!declaredType) return void problem(`media type ${type} not declared (${media.join(', ')})`);
    if (!declaredType.includes('json')) return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return void problem('a JSON media type with a body that is not JSON');
    }
    const pointer = `${op.pointer}/responses/${res.status in op.responses ? res.status : 'default'}/content/${declaredType.replaceAll('~', '~0').replaceAll('/', '~1')}/schema`;
    const validate = validatorFor(pointer);
    if (!validate(json)) problem(`body does not match its schema: ${ajv.errorsText(validate.errors).slice(0, 300)}`);
  };

  const cases = Array.from({ length: options.requests }, (_, i) => {
    const op = ops[i % ops.length] as Operation;
    return [op, rnd.pick(MUTATIONS)] as const;
  });
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const [op, mutation] = cases[next++] as (typeof cases)[number];
      await one(op, mutation);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  return { findings, sent, statuses, operations: ops.length, reloads };
}

/**
 * A response's body, or for an event stream (which stays open) its first message: the
 * stream's status, headers and opening are what the document describes.
 */
async function bodyText(res: Response): Promise<string> {
  if (!res.headers.get('content-type')?.startsWith('text/event-stream') || !res.body) return res.text();
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes('\n\n')) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  await reader.cancel().catch(() => {});
  return text;
}
