/** A strong entity tag for a resource version. */
export function etag(version: number): string {
  return `"${version}"`;
}

/** One entity-tag of a list: its opaque part (between the quotes) and whether it is weak. */
export interface EntityTag {
  weak: boolean;
  opaque: string;
}

/** An `If-Match` / `If-None-Match` value: `*`, or a list of entity-tags. */
export type EntityTagList = { any: true } | { any: false; tags: EntityTag[] };

// RFC 9110 §8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text.
const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;

/**
 * Parses an `If-Match` / `If-None-Match` value (RFC 9110 §13.1.1–2): `*` or a
 * comma-separated list of entity-tags (empty elements allowed, as the list syntax
 * says). Undefined when the value is malformed: only that is a 400; a well-formed list
 * that names no current version is a failed precondition.
 */
export function parseEntityTags(header: string): EntityTagList | undefined {
  if (header.trim() === '*') return { any: true };
  const tags: EntityTag[] = [];
  for (const element of header.split(',')) {
    const text = element.trim();
    if (!text) continue;
    const match = ENTITY_TAG.exec(text);
    if (!match) return undefined;
    tags.push({ weak: Boolean(match[1]), opaque: match[2] as string });
  }
  return tags.length ? { any: false, tags } : undefined;
}

/** The versions a list names by strong comparison (If-Match): our strong tags only, as numbers. */
export function strongVersions(list: { tags: EntityTag[] }): number[] {
  return list.tags.filter((t) => !t.weak && /^\d{1,10}$/.test(t.opaque)).map((t) => Number(t.opaque));
}

/** Whether a list names `version` by weak comparison (If-None-Match): `W/"3"` and `"3"` both do. */
export function weaklyMatches(list: EntityTagList, version: number): boolean {
  return list.any || list.tags.some((t) => t.opaque === String(version));
}
