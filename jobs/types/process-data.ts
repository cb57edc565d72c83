import { z } from 'zod';
import type { AuditContext } from '../../db/queries/audit.ts';
import { applyImportChunk, checkpointOf, existingUserIds } from '../../db/queries/imports.ts';
import type { ItemRecord } from '../../db/queries/items.ts';
import type { JobRow } from '../../db/schema.ts';
import { defineJob, type JobContext, PermanentJobError } from '../define.ts';
import {
  IMPORT_FORMATS,
  ImportFileError,
  type ImportItem,
  type ImportRow,
  type RowError,
  readImportFile,
  validateRow,
} from '../lib/import-file.ts';

export const ProcessDataPayloadSchema = z
  .object({
    format: z.enum(IMPORT_FORMATS),
    /** The file as uploaded: CSV text, or a JSON array of items. */
    content: z.string(),
  })
  .strict();

export type ProcessDataPayload = z.infer<typeof ProcessDataPayloadSchema>;

/** Rejected rows listed in the result; `rejectedCount` counts them all. */
export const MAX_LISTED_REJECTIONS = 1000;
export const DEFAULT_CHUNK_ROWS = 500;

export interface ImportResult {
  total: number;
  inserted: number;
  rejectedCount: number;
  rejected: { line: number; errors: RowError[] }[];
  /** Rows (inserted or rejected) already accounted for; a rerun resumes here. */
  checkpoint: number;
}

export interface ProcessDataOptions {
  /** Rows per statement; small values let tests cross chunk boundaries. */
  chunkSize?: number;
}

/** The process-data job type; the registry uses the defaults. */
export function createProcessDataJob(options: ProcessDataOptions = {}) {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_ROWS;
  return defineJob({
    type: 'process-data',
    description: 'Bulk import of items from CSV or JSON; invalid rows are reported with their line and reason.',
    payload: ProcessDataPayloadSchema,
    // Enqueued by POST /api/v1/items/import, which checks the file's type and size first.
    internal: true,
    // The file itself can be megabytes: the API shows its format and size instead.
    describePayload: ({ format, content }) => ({ format, bytes: utf8Length(content) }),
    run: (ctx, payload) => importItems(ctx, payload, chunkSize),
  });
}

export const processData = createProcessDataJob();

async function importItems(ctx: JobContext, payload: ProcessDataPayload, chunkSize: number): Promise<ImportResult> {
  const { deps, job, workerId, signal } = ctx;
  const rows = readRows(payload);
  // Progress committed by earlier attempts lives in the job's result, written with each chunk.
  let progress = resumeFrom(job.result, rows.length);
  const start = progress.checkpoint;
  const checks = rows.slice(start).map(validateRow);
  const owners = await existingUserIds(deps.db, [
    ...new Set(checks.flatMap((c) => (c.ok && c.item.ownerId ? [c.item.ownerId] : []))),
  ]);
  const context = auditContextOf(job);

  for (let from = start; from < rows.length; from += chunkSize) {
    signal.throwIfAborted();
    const to = Math.min(from + chunkSize, rows.length);
    const valid: ItemRecord[] = [];
    const rejected: ImportResult['rejected'] = [];
    for (let i = from; i < to; i++) {
      const check = checks[i - start];
      const line = (rows[i] as ImportRow).line;
      if (!check?.ok) rejected.push({ line, errors: check?.errors ?? [] });
      else if (check.item.ownerId && !owners.has(check.item.ownerId)) {
        rejected.push({
          line,
          errors: [{ field: 'ownerId', message: 'no user with this id', value: check.item.ownerId }],
        });
      } else valid.push(ownedBy(check.item, context));
    }
    const next: ImportResult = {
      total: rows.length,
      inserted: progress.inserted + valid.length,
      rejectedCount: progress.rejectedCount + rejected.length,
      rejected: [...progress.rejected, ...rejected].slice(0, MAX_LISTED_REJECTIONS),
      checkpoint: to,
    };
    const { applied } = await applyImportChunk(deps.db, {
      jobId: job.id,
      workerId,
      from,
      rows: valid,
      progress: { ...next },
      context,
    });
    if (!applied) throw new Error(`rows from ${from} on were not imported: the job is no longer held by ${workerId}`);
    progress = next;
  }
  return progress;
}

function readRows(payload: ProcessDataPayload): ImportRow[] {
  try {
    return readImportFile(payload.format, payload.content);
  } catch (error) {
    // A file that cannot be read stays unreadable: retrying would not help.
    if (error instanceof ImportFileError) throw new PermanentJobError(`${error.field}: ${error.message}`);
    throw error;
  }
}

function resumeFrom(result: unknown, total: number): ImportResult {
  const saved = (result ?? {}) as Partial<ImportResult>;
  return {
    total,
    inserted: typeof saved.inserted === 'number' ? saved.inserted : 0,
    rejectedCount: typeof saved.rejectedCount === 'number' ? saved.rejectedCount : 0,
    rejected: Array.isArray(saved.rejected) ? saved.rejected : [],
    checkpoint: checkpointOf(result),
  };
}

/**
 * A row without an owner belongs to whoever imported it, as an item created with
 * POST /api/v1/items does (an explicit null stays null; an API key's import owns nothing).
 */
function ownedBy(item: ImportItem, context: AuditContext): ImportItem {
  return item.ownerId === undefined && context.actorType === 'user' && context.actorId
    ? { ...item, ownerId: context.actorId }
    : item;
}

const ACTOR_TYPES = new Set<AuditContext['actorType']>(['user', 'api_key', 'system', 'anonymous']);

/** Imported items are audited as created by whoever enqueued the import, under its request id. */
function auditContextOf(job: JobRow): AuditContext {
  const [type = '', ...id] = (job.createdBy ?? '').split(':');
  const actorType = ACTOR_TYPES.has(type as AuditContext['actorType']) ? (type as AuditContext['actorType']) : 'system';
  return { actorType, actorId: id.length ? id.join(':') : null, requestId: job.requestId };
}

/** UTF-8 size without encoding a copy of a possibly large string. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
