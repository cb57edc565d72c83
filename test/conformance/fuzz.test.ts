import { describe, expect, it } from 'vitest';
import { ADMIN } from './admin.ts';
import { conformanceClient } from './client.ts';
import { type FuzzFinding, fuzzContract, type OpenApiDoc } from './contract-fuzz.ts';
import { useServerEntry } from './server-entry.ts';
import { useWorkerEntry } from './worker-entry.ts';

/**
 * The OpenAPI document is the contract: requests generated from it (valid ones, and
 * ones with a single mutation each) against the Node entry, every answer checked
 * against it. Seeded (FUZZ_SEED) and bounded (FUZZ_REQUESTS, default 2,000).
 */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_202);

// Operations that change who may call the API, left to their own tests: fuzzing them
// would sign the suite's own admin out or revoke its token mid-run.
const SKIP = {
  'POST /api/v1/auth/logout': 'ends the session the fuzzer uses',
};

/** Fuzzes the entry at `baseUrl` as the suite's admin. */
async function fuzzEntry(base: string) {
  const client = conformanceClient(() => base);
  const login = await client.signIn(ADMIN);
  expect(login.status, 'the admin signs in').toBe(200);
  const { accessToken } = (await login.json()) as { accessToken: string };
  client.session.token = accessToken;
  const knownIds: string[] = [];
  for (let i = 0; i < 5; i++) knownIds.push((await client.create({ title: `fuzz seed ${i}` })).item.id);
  const doc = (await (await fetch(`${base}/openapi.json`)).json()) as OpenApiDoc;
  const result = await fuzzContract(doc, {
    baseUrl: base,
    token: accessToken,
    requests: REQUESTS,
    seed: SEED,
    knownIds,
    skip: SKIP,
  });
  const byProblem = new Map<string, FuzzFinding[]>();
  for (const f of result.findings) {
    const key = `${f.request.split(' [')[0]} ${f.status} ${f.problem.slice(0, 60)}`;
    byProblem.set(key, [...(byProblem.get(key) ?? []), f]);
  }
  process.stderr.write(
    `[fuzz] ${result.sent} requests over ${result.operations} operations, statuses ${JSON.stringify(result.statuses)}; ${result.findings.length} findings; ${result.reloads} sent again after a dev-server reload\n`,
  );
  expect(result.sent).toBeGreaterThanOrEqual(REQUESTS * 0.99);
  expect(
    [...byProblem.entries()].map(([key, list]) => `${key} ×${list.length}: ${list[0]?.request} → ${list[0]?.problem}`),
  ).toEqual([]);
}

// Rate limits off: one client sending thousands of requests would measure the limiter.
const settings = { RATE_LIMIT_ENABLED: 'false', ITEM_CACHE_SECONDS: '0' };

describe('the OpenAPI contract, fuzzed: node', () => {
  const entry = useServerEntry('node', 'pglite', { env: settings });
  it(
    `Should answer ${REQUESTS} generated requests as the document says, with no 5xx`,
    () => fuzzEntry(entry.baseUrl()),
    300_000,
  );
});

describe('the OpenAPI contract, fuzzed: worker', () => {
  const worker = useWorkerEntry({ vars: settings });
  it(
    `Should answer ${REQUESTS} generated requests as the document says, with no 5xx`,
    () => fuzzEntry(worker.baseUrl()),
    300_000,
  );
});
