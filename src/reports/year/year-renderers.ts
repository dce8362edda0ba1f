/**
 * The year's report as Markdown, HTML (one self-contained page), Telegram
 * HTML and DOCX (Word, through the `docx` library, loaded at first use).
 * Every text of the document is escaped for its format: counter names,
 * remarks and sector names are entered by people.
 */
import { escapeHtml } from '../../telegram/telegram-text.js';
import type { DocBlock, DocRow, YearDocument } from './year-document.js';

/** Markdown table cell or line: no table breaks, no markup from entered text. */
function md(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/([\\`*_{}[\]<>#|~])/g, '\\$1');
}

export function renderYearMarkdown(doc: YearDocument): string {
  const out: string[] = [];
  for (const block of doc.blocks) {
    if (block.kind === 'heading') out.push(`${'#'.repeat(block.level)} ${md(block.text)}`, '');
    else if (block.kind === 'paragraph') out.push(block.small ? `_${md(block.text)}_` : md(block.text), '');
    else {
      const { columns, rows } = block.table;
      out.push(`| ${columns.map(md).join(' | ')} |`);
      out.push(`|${columns.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`);
      for (const row of rows) out.push(`| ${row.cells.map((c, i) => (i === 0 && row.sub ? `— ${md(c)}` : md(c))).join(' | ')} |`);
      out.push('');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function htmlRow(row: DocRow): string {
  const cells = row.cells.map((c, i) => (i === 0 ? `<th scope="row"${row.sub ? ' class="sub"' : ''}>${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`));
  return `<tr>${cells.join('')}</tr>`;
}

function htmlBlock(block: DocBlock): string {
  if (block.kind === 'heading') return `<h${block.level}>${escapeHtml(block.text)}</h${block.level}>`;
  if (block.kind === 'paragraph') return `<p${block.small ? ' class="note"' : ''}>${escapeHtml(block.text)}</p>`;
  const head = `<thead><tr>${block.table.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr></thead>`;
  return `<table>${head}<tbody>${block.table.rows.map(htmlRow).join('')}</tbody></table>`;
}

const STYLE = `body{font-family:"DejaVu Sans","Noto Sans Armenian",Arial,sans-serif;color:#1a1a1a;max-width:60rem;margin:1.5rem auto;padding:0 1rem;line-height:1.45}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.25rem}th,td{border:1px solid #b8b8b8;padding:.3rem .5rem;vertical-align:top}
td{text-align:right;white-space:nowrap}thead th{background:#eef1f5;text-align:left}th[scope=row]{text-align:left;font-weight:normal}
th.sub{padding-left:1.75rem;color:#333}.note{color:#444;font-size:.9rem}`;

/** A whole page: no scripts, no outside assets. */
export function renderYearHtml(doc: YearDocument): string {
  return [
    '<!doctype html>',
    `<html lang="${doc.lang}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title><style>${STYLE}</style></head>`,
    `<body><main>${doc.blocks.map(htmlBlock).join('\n')}</main></body>`,
    '</html>',
    '',
  ].join('\n');
}

/** Telegram HTML (parse mode HTML): one line per figure, the year before and the change after it. */
export function renderYearTelegram(doc: YearDocument): string {
  const out: string[] = [];
  for (const block of doc.blocks) {
    if (block.kind === 'heading') out.push('', `<b>${escapeHtml(block.text)}</b>`);
    else if (block.kind === 'paragraph') out.push(`<i>${escapeHtml(block.text)}</i>`);
    else {
      const { columns, rows } = block.table;
      const compared = columns.length === 4;
      for (const row of rows) {
        const [name, cur, ...rest] = row.cells;
        const prefix = row.sub ? '   ↳ ' : '• ';
        if (compared) {
          const [prev, change] = rest;
          const tail = prev ? ` <i>(${escapeHtml(columns[2]!)}: ${escapeHtml(prev)}${change && change !== '—' ? `, ${escapeHtml(change)}` : ''})</i>` : '';
          out.push(`${prefix}${escapeHtml(name!)}: <b>${escapeHtml(cur!)}</b>${tail}`);
        } else {
          out.push(`${prefix}${escapeHtml(name!)}: ${row.cells.slice(1).map((c, i) => `${escapeHtml(columns[i + 1]!)} ${escapeHtml(c)}`).join(', ')}`);
        }
      }
    }
  }
  return out.join('\n').trim();
}

/** A Word document (Office Open XML), for the offices that edit their reports in Word. */
export async function renderYearDocx(doc: YearDocument): Promise<Buffer> {
  const d = await import('docx');
  const headingOf = { 1: d.HeadingLevel.TITLE, 2: d.HeadingLevel.HEADING_1, 3: d.HeadingLevel.HEADING_2 } as const;
  const children: Array<InstanceType<typeof d.Paragraph> | InstanceType<typeof d.Table>> = [];
  const cell = (text: string, options: { bold?: boolean; right?: boolean; indent?: boolean } = {}) =>
    new d.TableCell({
      children: [
        new d.Paragraph({
          alignment: options.right ? d.AlignmentType.RIGHT : d.AlignmentType.LEFT,
          ...(options.indent ? { indent: { left: 360 } } : {}),
          children: [new d.TextRun({ text, bold: options.bold ?? false })],
        }),
      ],
    });
  for (const block of doc.blocks) {
    if (block.kind === 'heading') children.push(new d.Paragraph({ heading: headingOf[block.level], children: [new d.TextRun(block.text)] }));
    else if (block.kind === 'paragraph') children.push(new d.Paragraph({ children: [new d.TextRun({ text: block.text, italics: block.small ?? false, size: block.small ? 18 : 22 })] }));
    else {
      const header = new d.TableRow({ tableHeader: true, children: block.table.columns.map((c, i) => cell(c, { bold: true, right: i > 0 })) });
      const rows = block.table.rows.map((r) => new d.TableRow({ children: r.cells.map((c, i) => cell(c, { right: i > 0, indent: i === 0 && r.sub === true })) }));
      children.push(new d.Table({ width: { size: 100, type: d.WidthType.PERCENTAGE }, rows: [header, ...rows] }));
      children.push(new d.Paragraph({ children: [] }));
    }
  }
  const document = new d.Document({
    creator: 'Ardzagank',
    title: doc.title,
    styles: { default: { document: { run: { font: 'DejaVu Sans', size: 20 } } } },
    sections: [{ children }],
  });
  return d.Packer.toBuffer(document);
}
