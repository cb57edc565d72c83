import { z } from 'zod';
import { ITEM_FILTERS, type Item, toItem } from '../../core/items.ts';
import { listItems } from '../../db/queries/items.ts';
import { type ReportSummary, reportSummary, storeReport } from '../../db/queries/reports.ts';
import type { ItemRow } from '../../db/schema.ts';
import { ITEM_PRIORITIES, ITEM_STATUSES } from '../../vocabulary/enums.ts';
import { defineJob, type JobContext } from '../define.ts';
import { formatCsv } from '../lib/csv.ts';

/** One value or a list, as the list endpoint's comma lists allow. */
const oneOrMany = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .union([z.enum(values), z.array(z.enum(values)).min(1)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional();

/** The filters of GET /api/v1/items, as a JSON object. */
export const ReportFilterSchema = z
  .object({
    status: oneOrMany(ITEM_STATUSES),
    priority: oneOrMany(ITEM_PRIORITIES),
    tag: ITEM_FILTERS.tag.optional(),
    owner: ITEM_FILTERS.owner.optional(),
    q: ITEM_FILTERS.q.optional(),
  })
  .strict();

export const REPORT_FORMATS = ['csv', 'json'] as const;

export const GenerateReportPayloadSchema = z
  .object({
    format: z.enum(REPORT_FORMATS).default('csv'),
    filter: ReportFilterSchema.prefault({}),
  })
  .strict();

export type GenerateReportPayload = z.infer<typeof GenerateReportPayloadSchema>;

export const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', json: 'application/json' } as const;
export const DEFAULT_MAX_REPORT_ROWS = 100_000;

export interface ReportResult {
  reportId: string;
  url: string;
  format: string;
  filename: string;
  rowCount: number;
  /** More items matched than a report holds; it has the newest `rowCount` of them. */
  truncated: boolean;
}

export interface GenerateReportOptions {
  /** Items per report; the newest ones are kept. */
  maxRows?: number;
  /** Items read per query. */
  pageSize?: number;
}

/** The generate-report job type; the registry uses the defaults. */
export function createGenerateReportJob(options: GenerateReportOptions = {}) {
  const maxRows = options.maxRows ?? DEFAULT_MAX_REPORT_ROWS;
  const pageSize = options.pageSize ?? 1_000;
  return defineJob({
    type: 'generate-report',
    description: 'A CSV or JSON report of the items matching a filter, downloadable at /api/v1/reports/{job id}.',
    payload: GenerateReportPayloadSchema,
    run: (ctx, payload) => buildReport(ctx, payload, maxRows, pageSize),
  });
}

export const generateReport = createGenerateReportJob();

async function buildReport(
  { deps, job, signal }: JobContext,
  payload: GenerateReportPayload,
  maxRows: number,
  pageSize: number,
): Promise<ReportResult> {
  // A rerun of a job whose report is stored (a duplicate delivery) has nothing to do.
  const existing = await reportSummary(deps.db, job.id);
  if (existing) return resultOf(existing, (job.result as Partial<ReportResult> | null)?.truncated ?? false);

  const { filter, format } = payload;
  const rows: ItemRow[] = [];
  let after: { value: string; id: string } | undefined;
  let truncated = false;
  for (;;) {
    signal.throwIfAborted();
    const page = await listItems(deps.db, {
      limit: Math.min(pageSize, maxRows - rows.length),
      sort: 'created',
      direction: 'desc',
      after,
      status: filter.status,
      priority: filter.priority,
      tag: filter.tag,
      ownerId: filter.owner,
      q: filter.q,
    });
    rows.push(...page.rows);
    if (!page.next) break;
    if (rows.length >= maxRows) {
      truncated = true;
      break;
    }
    after = page.next;
  }

  const report = {
    id: job.id,
    format,
    contentType: CONTENT_TYPES[format],
    filename: `items-${deps.clock().toISOString().slice(0, 10)}-${job.id.slice(0, 8)}.${format}`,
    content: format === 'csv' ? toCsv(rows.map(toItem)) : JSON.stringify(rows.map(toItem)),
    rowCount: rows.length,
    createdBy: job.createdBy,
  };
  // On conflict nothing is written: a concurrent run stored its report first, and that one stands.
  if (await storeReport(deps.db, report)) return resultOf(report, truncated);
  const stored = await reportSummary(deps.db, job.id);
  return resultOf(stored ?? report, truncated);
}

function resultOf(report: Pick<ReportSummary, 'id' | 'format' | 'filename' | 'rowCount'>, truncated: boolean) {
  return {
    reportId: report.id,
    url: `/api/v1/reports/${report.id}`,
    format: report.format,
    filename: report.filename,
    rowCount: report.rowCount,
    truncated,
  };
}

const CSV_COLUMNS = [
  'id',
  'title',
  'description',
  'status',
  'priority',
  'tags',
  'ownerId',
  'dueAt',
  'version',
  'createdAt',
  'updatedAt',
] as const satisfies readonly (keyof Item)[];

/** Tags are joined with `;`, which the CSV import splits on again. */
function toCsv(items: Item[]): string {
  const cells = (item: Item) => CSV_COLUMNS.map((key) => (key === 'tags' ? item.tags.join(';') : item[key]));
  return formatCsv([CSV_COLUMNS, ...items.map(cells)]);
}
