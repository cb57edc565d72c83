import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, csvCell, formatCsv, parseCsv } from './csv.ts';

const fields = (text: string) => parseCsv(text).map((r) => r.fields);
const lines = (text: string) => parseCsv(text).map((r) => r.line);

describe('parseCsv', () => {
  it('Should split records on LF, CRLF and lone CR, without a record for the last line end', () => {
    expect(fields('a,b\nc,d\r\ne,f\rg,h\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
      ['g', 'h'],
    ]);
  });

  it('Should read quoted fields with commas, escaped quotes and line breaks', () => {
    expect(fields('"a,b","say ""hi""","two\nlines",""\n')).toEqual([['a,b', 'say "hi"', 'two\nlines', '']]);
  });

  it('Should keep empty fields, leading and trailing', () => {
    expect(fields(',x,\n,,')).toEqual([
      ['', 'x', ''],
      ['', '', ''],
    ]);
  });

  it('Should number records by the line they start on, counting line breaks inside quotes', () => {
    const text = 'h1,h2\n"multi\r\nline\nfield",x\n\n"a""\nb",y\nlast,z';
    expect(lines(text)).toEqual([1, 2, 6, 8]);
    expect(fields(text)[1]).toEqual(['multi\r\nline\nfield', 'x']);
  });

  it('Should skip blank lines and a byte order mark', () => {
    expect(parseCsv('\uFEFFa\n\n\r\nb\n')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 4, fields: ['b'] },
    ]);
    expect(parseCsv('')).toEqual([]);
  });

  it.each([
    ['a,"never closed\nmore', 1, 'never closed'],
    ['a,b\n"x"y,z', 2, 'after a closing quote'],
    ['a,b\nx,y"z', 2, 'quote inside an unquoted field'],
  ])('Should refuse malformed quoting in %j, naming the line', (text, line, message) => {
    try {
      parseCsv(text);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CsvSyntaxError);
      expect((error as CsvSyntaxError).line).toBe(line);
      expect((error as Error).message).toContain(message);
    }
  });
});

describe('formatCsv', () => {
  it('Should quote only what needs it, doubling quotes, with CRLF line ends', () => {
    expect(formatCsv([['plain', 'a,b', 'say "hi"', 'two\nlines', '', null, 3]])).toBe(
      'plain,"a,b","say ""hi""","two\nlines",,,3\r\n',
    );
  });

  it('Should defuse cells a spreadsheet would run as formulas', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'].map(csvCell)).toEqual([
      "'=1+1",
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\tx",
      `"'\rx"`,
    ]);
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(-1)).toBe('-1');
  });

  it('Should round-trip through parseCsv', () => {
    const rows = [
      ['id', 'text'],
      ['1', 'comma, "quote" and\r\nbreak'],
      ['2', ''],
    ];
    expect(fields(formatCsv(rows))).toEqual(rows);
  });
});
