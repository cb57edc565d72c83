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
