import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { type ApiKeyRow, apiKeys } from '../schema.ts';
import type { Database } from '../types.ts';
import { type AuditContext, auditCte, insertAudited } from './audit.ts';

// The hash stands in for the key: it stays out of the audit trail like the key itself.
const AUDIT_OMIT = ['keyHash'];

export interface ApiKeyInput {
  name: string;
  prefix: string;
  keyHash: string;
  role: ApiKeyRow['role'];
  createdBy: string | null;
}

/** Inserts a key with its `api_key.created` audit row in one statement. */
export async function createApiKey(db: Database, input: ApiKeyInput, context: AuditContext): Promise<ApiKeyRow> {
  return insertAudited(db, apiKeys, input, {
    action: 'api_key.created',
    entityType: 'api_key',
    context,
    omit: AUDIT_OMIT,
  });
}

/** Every key, revoked ones included, oldest first (keys are few: no pagination). */
export function listApiKeys(db: Database): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
}

export async function getApiKey(db: Database, id: string): Promise<ApiKeyRow | undefined> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
  return row;
}

/**
 * Revokes a live key with its `api_key.revoked` audit row; false when there is no
 * live key with that id. Authentication looks keys up on every request, so the key
 * stops working with the next one.
 */
export async function revokeApiKey(db: Database, id: string, context: AuditContext): Promise<boolean> {
  const target = and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt));
  const before = db.$with('before').as(db.select().from(apiKeys).where(target));
  const revoked = db.$with('revoked').as(db.update(apiKeys).set({ revokedAt: sql`now()` }).where(target).returning());
  const audit = auditCte(db, {
    action: 'api_key.revoked',
    entityType: 'api_key',
    table: apiKeys,
    changed: revoked,
    before,
    context,
    omit: AUDIT_OMIT,
  });
  const rows = await db.with(before, revoked, audit).select({ id: revoked.id }).from(revoked);
  return rows.length > 0;
}
