import type { z } from 'zod';
import { fieldErrors } from '../../core/field-errors.ts';
import { CreateItemSchema } from '../../core/items.ts';
import { CsvSyntaxError, parseCsv } from './csv.ts';

export const IMPORT_FORMATS = ['csv', 'json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** An item as POST /api/v1/items accepts it, after validation. */
export type ImportItem = z.output<typeof CreateItemSchema>;

export interface RowError {
  field: string;
  message: string;
  /** What the row held in that field, as text (cut short); absent when the field was missing. */
  value?: string;
}

const MAX_VALUE_LENGTH = 100;

/** The value at a dotted path (`tags.1`) of a row's input, as the person who wrote the file would read it. */
function valueAt(input: unknown, field: string): string | undefined {
  let value: unknown = input;
  for (const key of field.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH)}…` : text;
}

/**
 * One row of an import file. `line` is where a CSV record starts (the header is
 * line 1); for JSON it is the element's 1-based position in the array.
 */
export interface ImportRow {
  line: number;
  /** The row as an item body, or undefined when the row could not be read at all. */
  input?: unknown;
  errors?: RowError[];
}

/** A file that cannot be imported at all (bad quoting, bad header, not a JSON array). */
export class ImportFileError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'ImportFileError';
    this.field = field;
  }
}

/** CSV header names, matched ignoring case, spaces, `_` and `-` (so `owner_id` is `ownerId`). */
const CSV_COLUMNS: Record<string, keyof ImportItem> = {
  title: 'title',
  description: 'description',
  status: 'status',
  priority: 'priority',
  tags: 'tags',
  ownerid: 'ownerId',
  dueat: 'dueAt',
};
const normalize = (name: string) => name.toLowerCase().replace(/[\s_-]/g, '');

/** Splits an import file into rows; throws ImportFileError when the file as a whole is unreadable. */
export function readImportFile(format: ImportFormat, content: string): ImportRow[] {
  return format === 'csv' ? readCsv(content) : readJson(content);
}

function readJson(content: string): ImportRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    throw new ImportFileError('(file)', `not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new ImportFileError('(file)', 'must be a JSON array of items');
  // The file's shape is checked at the door, before any job exists; each item's fields are checked per row.
  const misshapen = parsed.findIndex((input) => input === null || typeof input !== 'object' || Array.isArray(input));
  if (misshapen !== -1) throw new ImportFileError(`item ${misshapen + 1}`, 'must be an object of item fields');
  return parsed.map((input, index) => ({ line: index + 1, input }));
}

function readCsv(content: string): ImportRow[] {
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(content);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new ImportFileError(`line ${error.line}`, error.message);
    throw error;
  }
  const [header, ...data] = records;
  if (!header) throw new ImportFileError('(file)', 'the file is empty: the first line must name the columns');
  const columns = header.fields.map((name) => {
    const key = CSV_COLUMNS[normalize(name)];
    if (!key) {
      throw new ImportFileError(
        'header',
        `unknown column "${name}"; columns are ${Object.values(CSV_COLUMNS).join(', ')}`,
      );
    }
    return key;
  });
  const duplicate = columns.find((key, index) => columns.indexOf(key) !== index);
  if (duplicate) throw new ImportFileError('header', `column "${duplicate}" appears twice`);
  if (!columns.includes('title')) throw new ImportFileError('header', 'the "title" column is required');

  return data.map(({ line, fields }) => {
    if (fields.length !== columns.length) {
      const message = `has ${fields.length} fields; the header has ${columns.length}`;
      return { line, errors: [{ field: '(row)', message }] };
    }
    const input: Record<string, unknown> = {};
    columns.forEach((key, index) => {
      const cell = fields[index] ?? '';
      // An empty cell means "not given": the field takes its default, as an omitted JSON key would.
      if (key === 'title') input.title = cell;
      else if (cell.trim() === '') return;
      else if (key === 'tags') input.tags = cell.split(/[;|]/).filter((tag) => tag.trim() !== '');
      else input[key] = key === 'description' ? cell : cell.trim();
    });
    return { line, input };
  });
}

export type RowCheck = { ok: true; item: ImportItem } | { ok: false; errors: RowError[] };

/** Validates a row with the same schema as POST /api/v1/items. */
export function validateRow(row: ImportRow): RowCheck {
  if (row.errors) return { ok: false, errors: row.errors };
  const result = CreateItemSchema.safeParse(row.input);
  if (result.success) return { ok: true, item: result.data };
  const errors = fieldErrors(result.error, 'json').map(({ field, message }) => {
    const value = valueAt(row.input, field);
    return value === undefined ? { field, message } : { field, message, value };
  });
  return { ok: false, errors };
}
