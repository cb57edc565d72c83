/**
 * RFC 4180 CSV, parsed and written with web-standard code only. The candidates on
 * npm did not fit the edge: papaparse's UMD build requires `stream`, csv-parse works
 * on `Buffer` throughout, and neither reports the line a record starts on, which
 * import errors must name.
 */

/** A malformed file: the quoting cannot be read, so no record after `line` can be trusted. */
export class CsvSyntaxError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
    this.line = line;
  }
}

export interface CsvRecord {
  /** The 1-based line the record starts on (a quoted field may span several). */
  line: number;
  fields: string[];
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Counts line breaks in text[from, to): CRLF, LF and a lone CR each end one line. */
function lineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const ch = text.charCodeAt(i);
    if (ch === LF || (ch === CR && text.charCodeAt(i + 1) !== LF)) count++;
  }
  return count;
}

/**
 * Parses CSV text into records. Fields may be quoted (`""` is a literal quote, and
 * line breaks inside quotes belong to the field); blank lines are skipped; a BOM is
 * ignored. Throws CsvSyntaxError for a quote that is never closed, text after a
 * closing quote, or a quote inside an unquoted field.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const end = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < end) {
    const first = text.charCodeAt(i);
    if (first === LF || first === CR) {
      i += first === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      continue;
    }
    const record: CsvRecord = { line, fields: [] };
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        const opened = line;
        let value = '';
        let from = i + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close === -1) throw new CsvSyntaxError(opened, 'a quoted field is never closed');
          line += lineBreaks(text, from, close);
          value += text.slice(from, close);
          if (text.charCodeAt(close + 1) !== QUOTE) {
            i = close + 1;
            break;
          }
          value += '"';
          from = close + 2;
        }
        const next = text.charCodeAt(i);
        if (i < end && next !== COMMA && next !== LF && next !== CR) {
          throw new CsvSyntaxError(line, 'unexpected text after a closing quote');
        }
        record.fields.push(value);
      } else {
        let j = i;
        for (; j < end; j++) {
          const ch = text.charCodeAt(j);
          if (ch === COMMA || ch === LF || ch === CR) break;
          if (ch === QUOTE) throw new CsvSyntaxError(line, 'a quote inside an unquoted field (quote the whole field)');
        }
        record.fields.push(text.slice(i, j));
        i = j;
      }
      if (text.charCodeAt(i) !== COMMA) break;
      i++;
    }
    records.push(record);
    if (i < end) {
      i += text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
    }
  }
  return records;
}

/**
 * Cells a spreadsheet would run as a formula (OWASP "CSV injection"): the leading
 * characters it treats as the start of one, tab and carriage return included.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell: formula-like text gets a leading `'`, and quoting where RFC 4180 needs it. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows as CSV text: CRLF line ends, a line end after the last row too. */
export function formatCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return rows.map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}
