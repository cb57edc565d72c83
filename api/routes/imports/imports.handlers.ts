import { ImportFileError, type ImportFormat, readImportFile } from '../../../jobs/lib/import-file.ts';
import { acceptJob } from '../../lib/accept-job.ts';
import { ApiError } from '../../lib/errors.ts';
import { json } from '../../lib/respond.ts';
import type { AppRouteHandler } from '../../lib/types.ts';
import { toJob } from '../jobs/jobs.schemas.ts';
import type { ImportItemsRoute } from './imports.routes.ts';

const FORMATS: Record<string, ImportFormat> = { 'text/csv': 'csv', 'application/json': 'json' };

export const importItems: AppRouteHandler<ImportItemsRoute> = async (c) => {
  const format = formatOf(c.req.header('content-type'));
  const content = await c.req.text();
  try {
    // Reading the file here refuses an unreadable one at once, instead of as a dead job later.
    readImportFile(format, content);
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    throw new ApiError('validation_failed', {
      detail: `The file cannot be imported: ${error.message}.`,
      errors: [{ field: error.field, in: 'body', message: error.message }],
    });
  }
  const { job, headers } = await acceptJob(c, {
    type: 'process-data',
    payload: { format, content },
    idempotencyKey: c.req.valid('header')['idempotency-key'],
  });
  return json(c, toJob(job), 202, headers);
};

/** The import format a Content-Type names; only UTF-8 text is read correctly, so only it is accepted. */
function formatOf(contentType: string | undefined): ImportFormat {
  const [type = '', ...params] = (contentType ?? '').split(';').map((part) => part.trim().toLowerCase());
  const format = FORMATS[type];
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (!format || (charset && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii')) {
    throw new ApiError('unsupported_media_type', {
      detail: `Send the file as text/csv or application/json in UTF-8, not ${contentType ?? 'without a Content-Type'}.`,
    });
  }
  return format;
}
