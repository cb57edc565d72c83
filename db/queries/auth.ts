import { and, eq, isNull, sql } from 'drizzle-orm';
import { apiKeys, refreshTokens, type UserRow, users } from '../schema.ts';
import type { Database } from '../types.ts';

export async function findUserByEmail(db: Database, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`);
  return row;
}

export async function findUser(db: Database, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function storeRefreshToken(
  db: Database,
  token: { userId: string; familyId: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db.insert(refreshTokens).values(token);
}

export type RotateResult =
  | { ok: true; user: UserRow; familyId: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'reused' | 'revoked' };

/**
 * Swaps a refresh token for the next of its family in one statement: the old one is
 * marked replaced only if it is current, unexpired and its user still enabled. A
 * token that was already replaced is being replayed, so its whole family is revoked.
 */
export async function rotateRefreshToken(
  db: Database,
  oldHash: string,
  next: { tokenHash: string; expiresAt: Date },
): Promise<RotateResult> {
  const replaced = db.$with('replaced').as(
    db
      .update(refreshTokens)
      .set({ replacedAt: sql`now()` })
      .where(
        and(
          eq(refreshTokens.tokenHash, oldHash),
          isNull(refreshTokens.replacedAt),
          isNull(refreshTokens.revokedAt),
          sql`${refreshTokens.expiresAt} > now()`,
          sql`exists (select 1 from ${users} u where u.id = ${refreshTokens.userId} and not u.disabled)`,
        ),
      )
      .returning(),
  );
  const issued = db
    .$with('issued', { userId: sql<string>`user_id`.as('user_id'), familyId: sql<string>`family_id`.as('family_id') })
    .as(sql`
    insert into ${refreshTokens} (user_id, family_id, token_hash, expires_at)
    select user_id, family_id, ${next.tokenHash}, ${next.expiresAt.toISOString()}::timestamptz from replaced
    returning user_id, family_id`);
  const [row] = await db
    .with(replaced, issued)
    .select({ familyId: issued.familyId, user: users })
    .from(issued)
    .innerJoin(users, eq(users.id, issued.userId));
  if (row) return { ok: true, user: row.user, familyId: row.familyId };

  const [old] = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, oldHash));
  if (!old) return { ok: false, reason: 'unknown' };
  if (old.replacedAt && !old.revokedAt) {
    await revokeFamily(db, old.familyId);
    return { ok: false, reason: 'reused' };
  }
  return { ok: false, reason: old.revokedAt ? 'revoked' : 'expired' };
}

export async function revokeFamily(db: Database, familyId: string): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

/** Revokes the family of a refresh token (logout); unknown tokens are ignored. */
export async function revokeByToken(db: Database, tokenHash: string): Promise<void> {
  const [row] = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash));
  if (row) await revokeFamily(db, row.familyId);
}

/** The live API key with this hash; its last use is recorded at most once a minute. */
export async function findApiKey(db: Database, keyHash: string) {
  const [key] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)));
  if (key && (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > 60_000)) {
    await db.update(apiKeys).set({ lastUsedAt: sql`now()` }).where(eq(apiKeys.id, key.id));
  }
  return key;
}
