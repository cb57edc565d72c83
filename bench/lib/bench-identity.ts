import { signJwt } from '../../api/auth/jwt.ts';
import { openPg } from '../../db/node/pg.ts';
import { users } from '../../db/schema.ts';

/** The user every benchmarked request comes from, and the audit rows name. */
export const BENCH_USER_ID = '00000000-0000-4000-8000-0000000be9c4';
/** The signing key the app under test is started with, so the bench can mint its token. */
export const BENCH_JWT_KEYS = 'bench:0123456789abcdef0123456789abcdef0123456789abcdef';

/**
 * Creates the bench's editor in `databaseUrl` and returns its Bearer header: a
 * signed-in dashboard user's request, checked by signature like any other.
 */
export async function benchAuthorization(databaseUrl: string): Promise<Record<string, string>> {
  const handle = openPg({ url: databaseUrl, poolSize: 1 });
  try {
    await handle.db
      .insert(users)
      .values({ id: BENCH_USER_ID, email: 'bench@edgeplane.local', name: 'Bench', role: 'editor' })
      .onConflictDoNothing();
  } finally {
    await handle.close();
  }
  const [kid, secret] = BENCH_JWT_KEYS.split(':') as [string, string];
  const now = Math.floor(Date.now() / 1000);
  const token = await signJwt(
    { sub: BENCH_USER_ID, role: 'editor', iat: now, exp: now + 3600, iss: 'edgeplane', jti: crypto.randomUUID() },
    { kid, secret },
  );
  return { authorization: `Bearer ${token}` };
}
