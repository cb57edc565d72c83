/** A strong entity tag for a resource version. */
export function etag(version: number): string {
  return `"${version}"`;
}

/**
 * The versions named by an `If-Match` / `If-None-Match` header. Weak tags are kept
 * apart because `If-Match` uses strong comparison (RFC 9110 §13.1.1).
 */
export function parseEntityTags(header: string): { any: boolean; strong: number[]; weak: number[] } {
  const result = { any: false, strong: [] as number[], weak: [] as number[] };
  for (const raw of header.split(',')) {
    const tag = raw.trim();
    if (tag === '*') result.any = true;
    const match = /^(W\/)?"(\d{1,10})"$/.exec(tag);
    if (!match) continue;
    (match[1] ? result.weak : result.strong).push(Number(match[2]));
  }
  return result;
}
