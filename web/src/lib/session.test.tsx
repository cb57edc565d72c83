import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { SESSION_HINT_COOKIE } from '../../../vocabulary/session.ts';
import { configureApi } from './api.ts';
import { loadSession, me } from './session.ts';

const asked = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map((args) => String(args[0]));

describe('session probe', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    // biome-ignore lint/suspicious/noDocumentCookie: jsdom has no Cookie Store API; the dashboard reads document.cookie too
    document.cookie = `${SESSION_HINT_COOKIE}=; max-age=0; path=/`;
  });

  it('Should know nobody is signed in without asking the API when this browser never signed in', async () => {
    configureApi({ baseUrl: inject('apiUrl'), headers: {} });
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    expect(await loadSession()).toBeNull();
    expect(me()).toBeNull();
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('Should ask who is signed in when the session hint is there, and try a refresh before giving up', async () => {
    configureApi({ baseUrl: inject('apiUrl'), headers: {} });
    // biome-ignore lint/suspicious/noDocumentCookie: as the API's Set-Cookie would
    document.cookie = `${SESSION_HINT_COOKIE}=1; path=/`;
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    expect(await loadSession()).toBeNull();
    expect(asked(fetchSpy)).toEqual([
      expect.stringMatching(/\/api\/v1\/auth\/me$/),
      expect.stringMatching(/\/api\/v1\/auth\/refresh$/),
    ]);
  });
});
