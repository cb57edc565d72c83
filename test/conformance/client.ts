import { expect } from 'vitest';
import type { TestResponse } from '../support/http.ts';

export interface Credentials {
  email: string;
  password: string;
}

export type SendInit = RequestInit & { json?: unknown; anonymous?: boolean; token?: string };

const FINISHED = ['succeeded', 'failed', 'dead', 'cancelled'];
const JOB_POLL_MS = 100;
const JOB_POLLS = 150;

/**
 * Plain fetch against a base URL, carrying the signed-in admin's token: all the
 * conformance suite knows about the server is its HTTP surface.
 */
export function conformanceClient(baseUrl: () => string) {
  const session = { token: '', refreshToken: '' };
  const url = (path: string) => new URL(path, baseUrl()).toString();

  const send = (path: string, init: SendInit = {}) => {
    const { json, anonymous, token, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (json !== undefined) headers.set('content-type', 'application/json');
    const bearer = token ?? (anonymous ? '' : session.token);
    if (bearer) headers.set('authorization', `Bearer ${bearer}`);
    const body = json === undefined ? rest.body : JSON.stringify(json);
    return fetch(url(path), { ...rest, headers, body }) as Promise<TestResponse>;
  };

  return {
    session,
    send,
    /** A fresh tag per test, so tests never see each other's rows (or an earlier run's). */
    tag: () => `cf-${crypto.randomUUID().slice(0, 8)}`,
    signIn: (credentials: Credentials) =>
      send('/api/v1/auth/login', { method: 'POST', json: credentials, anonymous: true }),
    async create(body: Record<string, unknown>, headers: Record<string, string> = {}) {
      const res = await send('/api/v1/items', { method: 'POST', json: body, headers });
      expect(res.status).toBe(201);
      return { res, item: await res.json() };
    },
    /** Polls a job (its Location) until it has finished, and returns it as the API shows it. */
    async waitForJob(location: string) {
      let job = await (await send(location)).json();
      for (let i = 0; i < JOB_POLLS && !FINISHED.includes(job.status); i++) {
        await new Promise((resolve) => setTimeout(resolve, JOB_POLL_MS));
        job = await (await send(location)).json();
      }
      return job;
    },
  };
}

export type ConformanceClient = ReturnType<typeof conformanceClient>;
