/**
 * CSV exports open in spreadsheets: a staff display name or any text that
 * starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be taken
 * for a formula. Text cells are neutralised as OWASP recommends (a leading
 * `'`, the cell quoted); numbers stay numbers.
 */
import { describe, expect, it } from 'vitest';
import { csvField, parseCsv, toCsv } from '../../src/reports/csv.js';

describe('CSV formula injection', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
    ['+1+cmd|/C calc!A0', `"'+1+cmd|/C calc!A0"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1:A9)', `"'@SUM(A1:A9)"`],
    ['\t=1', `"'\t=1"`],
    ['\r=1', `"'\r=1"`],
  ])('a text cell %j becomes %s', (text, cell) => {
    expect(csvField(text)).toBe(cell);
    // Read back, the text is whole behind the apostrophe.
    expect(parseCsv(`${cell}\r\n`)[0]!.fields).toEqual([`'${text}`]);
  });

  it('leaves numbers, negative ones too, and ordinary text alone', () => {
    expect(toCsv([[-12.5, 0, 'Անի Պետրոսյան', 'water', null, true]])).toBe('-12.5,0,Անի Պետրոսյան,water,,true\r\n');
  });
});
