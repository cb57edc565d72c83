import type { LoadResult } from './load-spec.ts';
import type { Table } from './section.ts';

/** Renders a Markdown table with padded columns, so it reads well in a terminal and pastes into docs. */
export function formatTable(table: Table): string {
  const widths = table.columns.map((column, i) =>
    Math.max(column.length, ...table.rows.map((row) => (row[i] ?? '').length)),
  );
  // The first column is a label (left-aligned); the others are numbers (right-aligned).
  const line = (cells: string[]) =>
    `| ${widths.map((w, i) => (i === 0 ? (cells[i] ?? '').padEnd(w) : (cells[i] ?? '').padStart(w))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => `${'-'.repeat(w + 1)}${i === 0 ? '-' : ':'}`).join('|')}|`;
  const caption = table.caption?.length ? [...table.caption, ''] : [];
  const notes = table.notes?.length ? ['', ...table.notes] : [];
  return [...caption, line(table.columns), rule, ...table.rows.map(line), ...notes].join('\n');
}

/** A number as the tables print it: thousands separated, `digits` decimals. */
export const num = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The req/s, p50, p99 and server CPU µs per request cells of one load run. */
export function loadCells(result: LoadResult): string[] {
  return [
    num(result.requestsPerSecond),
    num(result.latencyMs.p50, 2),
    num(result.latencyMs.p99, 2),
    result.serverCpuMicrosPerRequest === null ? '–' : num(result.serverCpuMicrosPerRequest),
  ];
}

/** A note for a run whose figures cannot be compared (some answers failed), or none. */
export function loadProblem(label: string, result: LoadResult): string[] {
  if (!result.non2xx && !result.errors && !result.timeouts) return [];
  return [
    `! ${label}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts (${JSON.stringify(result.statusCodes)}): not comparable.`,
  ];
}
