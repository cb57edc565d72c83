import { eq, sql } from 'drizzle-orm';
import { type UserRow, users } from '../schema.ts';
import type { Database } from '../types.ts';
import { findUserByEmail } from './auth.ts';

/**
 * Makes sure `email` is an enabled admin with this password hash: creates the user,
 * or promotes, re-enables and resets the existing one. For the first admin from
 * configuration or the CLI.
 */
export async function upsertAdmin(db: Database, email: string, passwordHash: string, name = 'Administrator') {
  const existing = await findUserByEmail(db, email);
  if (existing) {
    const [row] = await db
      .update(users)
      .set({ role: 'admin', disabled: false, passwordHash, updatedAt: sql`now()` })
      .where(eq(users.id, existing.id))
      .returning();
    return { user: row as UserRow, created: false };
  }
  const [row] = await db.insert(users).values({ email, name, role: 'admin', passwordHash }).returning();
  return { user: row as UserRow, created: true };
}
