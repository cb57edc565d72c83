import { describe, expect, it } from 'vitest';
import { backend, unique, useTestApp } from '../../test/support/harness.ts';

const encoder = new TextEncoder();

/** `"title":"<prefix><bytes><suffix>"` as raw bytes, so a test can send what no JS string can hold. */
function bodyWithBytes(prefix: string, bytes: number[], rest = ''): Uint8Array {
  const head = encoder.encode(`{"title":"${prefix}`);
  const tail = encoder.encode(`"${rest}}`);
  return new Uint8Array([...head, ...bytes, ...tail]);
}

describe.skipIf(backend.skip)(`text the database cannot store is refused at the door [${backend.label}]`, () => {
  const t = useTestApp();
  const count = async (q: string) => {
    const res = await t.request(`/api/v1/items?q=${encodeURIComponent(q)}&limit=100`);
    return ((await res.json()) as { data: unknown[] }).data.length;
  };
  const post = (body: NonNullable<RequestInit['body']>) =>
    t.request('/api/v1/items', { method: 'POST', body, headers: { 'content-type': 'application/json' } });

  it('Should answer 422 naming the field for a NUL character, at any depth, and store nothing', async () => {
    const marker = unique('nul');
    const res = await t.request('/api/v1/items', {
      method: 'POST',
      json: { title: `${marker}\u0000x`, tags: ['ok', 'bad\u0000'] },
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect((await res.json()).errors).toEqual([
      { field: 'title', in: 'body', message: 'must not contain NUL characters' },
      { field: 'tags.1', in: 'body', message: 'must not contain NUL characters' },
    ]);
    expect(await count(marker)).toBe(0);
  });

  it('Should answer 422 for an unpaired surrogate, never storing U+FFFD in its place', async () => {
    const marker = unique('surrogate');
    const res = await post(`{"title":"${marker} \\ud800 alone"}`);
    expect(res.status).toBe(422);
    expect((await res.json()).errors).toEqual([
      { field: 'title', in: 'body', message: 'must be valid Unicode (an unpaired surrogate)' },
    ]);
    expect(await count(marker)).toBe(0);
    // A proper pair is fine.
    const pair = await post(`{"title":"${marker} \\ud83d\\ude00"}`);
    expect(pair.status).toBe(201);
    expect((await pair.json()).title).toBe(`${marker} 😀`);
  });

  it('Should answer 422 naming the field whose bytes are not UTF-8, or 400 when they cannot be placed', async () => {
    const marker = unique('bytes');
    const res = await post(bodyWithBytes(marker, [0xc3, 0x28]));
    expect(res.status).toBe(422);
    expect((await res.json()).errors).toEqual([{ field: 'title', in: 'body', message: 'must be valid UTF-8' }]);
    // A real U+FFFD elsewhere in the body: the bad bytes cannot be told apart from it.
    const mixed = await post(bodyWithBytes(marker, [0xff], ',"description":"\uFFFD"'));
    expect(mixed.status).toBe(400);
    expect((await mixed.json()).detail).toBe('The request body is not valid UTF-8.');
    expect(await count(marker)).toBe(0);
  });

  it('Should answer 422 for a NUL in a query parameter or the path', async () => {
    const query = await t.request('/api/v1/items?q=a%00b');
    expect(query.status).toBe(422);
    expect((await query.json()).errors).toEqual([
      { field: 'q', in: 'query', message: 'must not contain NUL characters' },
    ]);
    const path = await t.request('/api/v1/settings/app.name%00');
    expect(path.status).toBe(422);
    expect((await path.json()).errors[0]).toMatchObject({ in: 'path', message: 'must not contain NUL characters' });
  });

  it('Should walk a deeply nested body without overflowing, answering 422 from validation', async () => {
    const depth = 200_000;
    const res = await post(`{"title":"deep","tags":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    expect(res.status).toBe(422);
  });

  it('Should leave ordinary text, including U+FFFD sent on purpose, alone', async () => {
    const title = `${unique('plain')} naïve café \uFFFD`;
    const res = await t.request('/api/v1/items', { method: 'POST', json: { title } });
    expect(res.status).toBe(201);
    expect((await res.json()).title).toBe(title);
  });
});
