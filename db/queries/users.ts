import { and, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { refreshTokens, type UserRow, users } from '../schema.ts';
import type { Database } from '../types.ts';
import { type AuditContext, auditCte, insertAudited } from './audit.ts';
import { findUser, findUserByEmail } from './auth.ts';

/** True when at least one enabled admin can sign in. */
export async function hasEnabledAdmin(db: Database): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.disabled, false)))
    .limit(1);
  return row !== undefined;
}

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

/** Users as the API sees them: the password hash never reaches the audit trail. */
const AUDIT_OMIT = ['passwordHash'];

type Role = UserRow['role'];

export interface UserInput {
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
}

export interface UserPatch {
  name?: string;
  role?: Role;
  disabled?: boolean;
  passwordHash?: string;
}

export interface ListUsersParams {
  limit: number;
  after?: { value: string; id: string };
  role?: Role;
  disabled?: boolean;
}

/** Newest first, keyset-paginated on (created_at, id) like items. */
export async function listUsers(db: Database, params: ListUsersParams) {
  const conditions: SQL[] = [];
  if (params.role) conditions.push(eq(users.role, params.role));
  if (params.disabled !== undefined) conditions.push(eq(users.disabled, params.disabled));
  if (params.after) {
    conditions.push(
      sql`(${users.createdAt}, ${users.id}) < (${params.after.value}::timestamptz, ${params.after.id}::uuid)`,
    );
  }
  const rows = await db
    .select()
    .from(users)
    .where(and(...conditions))
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(params.limit + 1);
  const hasMore = rows.length > params.limit;
  const page = hasMore ? rows.slice(0, params.limit) : rows;
  const last = page.at(-1);
  return { rows: page, next: hasMore && last ? { value: last.createdAt.toISOString(), id: last.id } : null };
}

/** The name and email of each of `ids` that names a user (disabled ones included: they still own items). */
export async function userNames(db: Database, ids: readonly string[]) {
  if (!ids.length) return [];
  return db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(inArray(users.id, [...ids]))
    .orderBy(users.name, users.id);
}

/** Inserts a user with its `user.created` audit row in one statement (a duplicate email throws 23505). */
export async function createUser(db: Database, input: UserInput, context: AuditContext): Promise<UserRow> {
  return insertAudited(db, users, input, { action: 'user.created', entityType: 'user', context, omit: AUDIT_OMIT });
}

export type UpdateUserResult = { ok: true; user: UserRow } | { ok: false; reason: 'not_found' | 'last_admin' };

/**
 * Applies a patch with its audit row, in one statement that also holds the
 * last-admin guard and revokes refresh tokens when the user is disabled or gets a
 * new password. The guard locks every enabled admin row (in id order, so two
 * demotions cannot deadlock) before counting the others: a plain `exists` would
 * read the statement's snapshot under READ COMMITTED, and two concurrent demotions
 * of the last two admins would both pass. After the lock wait the count sees the
 * committed demotion, so exactly one of them succeeds.
 */
export async function updateUser(
  db: Database,
  id: string,
  patch: UserPatch,
  context: AuditContext,
  action = 'user.updated',
): Promise<UpdateUserResult> {
  const removesAdmin = (patch.role !== undefined && patch.role !== 'admin') || patch.disabled === true;
  const guard = removesAdmin
    ? sql`(not (${users.role} = 'admin' and not ${users.disabled}) or (
        select count(*) filter (where locked.id <> ${id}::uuid) from (
          select a.id from ${users} a where a.role = 'admin' and not a.disabled order by a.id for update
        ) locked) > 0)`
    : sql`true`;
  const target = eq(users.id, id);
  const before = db.$with('before').as(db.select().from(users).where(target));
  const updated = db.$with('updated').as(
    db
      .update(users)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(target, guard))
      .returning(),
  );
  const audit = auditCte(db, {
    action,
    entityType: 'user',
    table: users,
    changed: updated,
    before,
    context,
    omit: AUDIT_OMIT,
  });
  const endsSessions = patch.disabled === true || patch.passwordHash !== undefined;
  const revoked = db.$with('revoked').as(
    db
      .update(refreshTokens)
      .set({ revokedAt: sql`now()` })
      .where(
        and(
          endsSessions ? sql`true` : sql`false`,
          isNull(refreshTokens.revokedAt),
          sql`${refreshTokens.userId} in (select id from updated)`,
        ),
      )
      .returning({ id: refreshTokens.id }),
  );
  const [row] = await db.with(before, updated, audit, revoked).select().from(updated);
  if (row) return { ok: true, user: row };
  return { ok: false, reason: (await findUser(db, id)) ? 'last_admin' : 'not_found' };
}
