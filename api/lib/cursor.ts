import { z } from 'zod';
import { fromBase64Url, toBase64Url } from '../../core/encoding.ts';
import { ApiError } from './errors.ts';

// Ids are uuids, or bigserial numbers as decimal strings (audit rows).
const CursorSchema = z.object({
  s: z.string(),
  v: z.string(),
  id: z.union([z.uuid(), z.string().regex(/^\d{1,19}$/)]),
});

/** An opaque cursor bound to the sort it was issued for. */
export function encodeCursor(sort: string, position: { value: string; id: string }): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify({ s: sort, v: position.value, id: position.id })));
}

/** Decodes a cursor, rejecting one that is malformed or was issued for another sort. */
export function decodeCursor(cursor: string, sort: string): { value: string; id: string } {
  let parsed: z.infer<typeof CursorSchema>;
  try {
    parsed = CursorSchema.parse(JSON.parse(new TextDecoder().decode(fromBase64Url(cursor))));
  } catch {
    throw invalid('is not a cursor this API issued');
  }
  if (parsed.s !== sort) throw invalid(`was issued for sort "${parsed.s}", not "${sort}"`);
  return { value: parsed.v, id: parsed.id };
}

function invalid(message: string) {
  return new ApiError('invalid_request', {
    detail: `The cursor ${message}.`,
    errors: [{ field: 'cursor', in: 'query', message }],
  });
}
