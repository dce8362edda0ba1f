/**
 * CSV as spreadsheets write it (RFC 4180): comma-separated, fields with a
 * comma, quote or line break in double quotes, quotes doubled; CRLF or LF
 * line ends; a UTF-8 byte-order mark is ignored. Also reads semicolon-
 * separated files (what spreadsheets save in many locales) when the header
 * line has semicolons and no commas.
 */

/** One parsed line: its 1-based line number in the file and its fields. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Thrown for a quote that is never closed. */
export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

/** Parses CSV text into records, skipping empty lines. */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = src.slice(0, src.search(/\r?\n|$/));
  const sep = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      if (ch === '\n') line++;
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === sep) {
      fields.push(field);
      field = '';
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      field += ch;
      i++;
    }
  }
  if (quoted) throw new CsvSyntaxError(recordLine, 'a quoted field is never closed (a " is missing)');
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/** What a spreadsheet would take for the start of a formula (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field, quoted when needed. A text that a spreadsheet would run as
 * a formula (a staff name or a citizen's text starting with `=`, `+`, `-`,
 * `@`, a tab or a carriage return) gets a leading `'` and quotes, as OWASP
 * recommends; numbers are written as they are.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' && FORMULA_START.test(value)) return `"'${value.replace(/"/g, '""')}"`;
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows to CSV text (CRLF line ends, as spreadsheets expect). */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null | undefined>>): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
