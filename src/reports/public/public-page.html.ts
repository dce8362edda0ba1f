/**
 * The public page as one self-contained HTML document: inline CSS, the
 * chart drawn here as SVG, no scripts, fonts, images or anything else
 * fetched. Built for a phone first (one column, tables that scroll sideways
 * inside a focusable region) and for screen readers (lang, headings in
 * order, landmarks, tables with caption and `th scope`, the chart an image
 * with a title and a description whose figures are in the table under it).
 * Colours meet WCAG 2.1 AA: text at least 4.5:1, bars and borders 3:1.
 *
 * Links are relative (`en`, `public.json`), so the page works behind a
 * city's website under any path.
 */
import type { Locale } from '../../domain/locale.js';
import { formatCount, formatDuration, formatMoment, formatPeriodName, formatRate } from '../format.js';
import { catalogFor, type ReportCatalog } from '../i18n/index.js';
import type { PublicFigures, PublicPeriod, PublicSlice } from './public-figures.js';
import { PUBLIC_PAGE_TEXT, type PublicPageText } from './public-page.i18n.js';

/** Where each language lives, relative to the page (Armenian at the root). */
export const PAGE_PATHS: Record<Locale, string> = { hy: '/', en: '/en', ru: '/ru' };
const RELATIVE_HREF: Record<Locale, string> = { hy: './', en: 'en', ru: 'ru' };
export const JSON_PATH = '/public.json';

const COLOURS = { received: '#1d4f91', answered: '#1e7b34', grid: '#767676', text: '#1a1a1a' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans Armenian","Noto Sans","DejaVu Sans",sans-serif;color:#1a1a1a;background:#fff}
.wrap{max-width:62rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0}
h2{font-size:1.25rem;margin:2rem 0 .75rem}
a{color:#0b57d0}
:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.skip{position:absolute;left:-9999px;top:0}
.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:1}
.langs ul{list-style:none;display:flex;flex-wrap:wrap;gap:1rem;margin:0;padding:0}
.langs a{display:inline-block;padding:.25rem 0;min-height:24px}
.langs a[aria-current]{font-weight:700;color:#1a1a1a;text-decoration:none}
.muted{color:#4a4a4a}
.summary{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.75rem;margin:0}
.summary div{border:1px solid #767676;border-radius:.5rem;padding:.6rem .75rem}
.summary dt{font-size:.9rem;color:#4a4a4a}
.summary dd{margin:0;font-size:1.5rem;font-weight:700}
figure{margin:0}
svg{display:block;width:100%;height:auto;max-height:22rem}
.legend{display:flex;flex-wrap:wrap;gap:1rem;margin:.5rem 0 0;padding:0;list-style:none}
.legend span{display:inline-block;width:.9rem;height:.9rem;margin-right:.35rem;vertical-align:-.1rem}
.scroll{overflow-x:auto;margin:.5rem 0 1rem}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding:.25rem 0 .5rem}
th,td{padding:.4rem .5rem;border-bottom:1px solid #949494;text-align:right;white-space:nowrap}
th[scope=row],thead th:first-child{text-align:left;white-space:normal}
thead th{border-bottom:2px solid #1a1a1a;vertical-align:bottom;white-space:normal}
tfoot th,tfoot td{font-weight:700;border-top:2px solid #1a1a1a}
dl.defs dt{font-weight:600}
dl.defs dd{margin:0 0 .5rem}
footer{margin-top:2rem;border-top:1px solid #949494}
@media (max-width:30rem){body{font-size:15px}h1{font-size:1.35rem}table{font-size:14px}th,td{padding:.35rem .25rem;white-space:normal}svg text{font-size:16px}}
`.replace(/\n/g, '');

interface Ctx {
  cat: ReportCatalog;
  t: PublicPageText;
  lang: Locale;
}

function periodName(p: PublicPeriod, c: Ctx): string {
  const name = formatPeriodName(p, c.cat);
  return `${escapeHtml(name)}${p.baseline ? c.cat.enteredMark : ''}${p.partial ? ` <span class="muted">${escapeHtml(c.t.soFar)}</span>` : ''}`;
}

/** The five figures of a slice as table cells, in column order. */
function cells(s: PublicSlice, cat: ReportCatalog): string {
  return [
    formatCount(s.received, cat),
    formatCount(s.answered, cat),
    formatRate(s.responseRate, cat),
    formatDuration(s.frtMedianMinutes, cat),
    formatRate(s.withinSlaRate, cat),
  ]
    .map((v) => `<td>${escapeHtml(v)}</td>`)
    .join('');
}

function headRow(first: string, c: Ctx): string {
  const cols = [first, c.cat.received, c.cat.answered, c.cat.responseRate, c.cat.frtMedian, c.cat.withinSla];
  return `<thead><tr>${cols.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
}

function table(id: string, caption: string, first: string, rows: Array<[string, PublicSlice]>, foot: [string, PublicSlice] | null, c: Ctx): string {
  const body = rows.map(([name, s]) => `<tr><th scope="row">${name}</th>${cells(s, c.cat)}</tr>`).join('');
  const tfoot = foot ? `<tfoot><tr><th scope="row">${foot[0]}</th>${cells(foot[1], c.cat)}</tr></tfoot>` : '';
  return (
    `<div class="scroll" role="region" tabindex="0" aria-labelledby="${id}">` +
    `<table><caption id="${id}">${escapeHtml(caption)}</caption>${headRow(first, c)}<tbody>${body}</tbody>${tfoot}</table></div>`
  );
}

/** A round upper bound for the axis: 1, 2 or 5 times a power of ten. */
function niceMax(value: number): number {
  if (value <= 4) return 4;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function shortName(p: PublicPeriod, cat: ReportCatalog): string {
  const short = (ym: string) => cat.monthsShort[Number(ym.slice(5, 7)) - 1]!;
  const a = p.from.slice(0, 7);
  const b = p.to.slice(0, 7);
  return a === b ? short(a) : `${short(a)}–${short(b)}`;
}

/** Grouped bars of received and answered questions per month, with a y axis. */
function chart(figures: PublicFigures, range: string, c: Ctx): string {
  const months = figures.months;
  const W = 560;
  const H = 260;
  const left = 44;
  const right = 8;
  const top = 12;
  const bottom = 40;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const max = niceMax(Math.max(1, ...months.flatMap((m) => [m.received ?? 0, m.answered ?? 0])));
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const parts: string[] = [];
  const ticks = 4;
  for (let i = 0; i <= ticks; i += 1) {
    const v = (max / ticks) * i;
    const yy = y(v).toFixed(1);
    parts.push(`<line x1="${left}" x2="${W - right}" y1="${yy}" y2="${yy}" stroke="${COLOURS.grid}" stroke-width="${i === 0 ? 1.5 : 0.5}"/>`);
    parts.push(`<text x="${left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${escapeHtml(formatCount(Math.round(v * 10) / 10, c.cat))}</text>`);
  }
  const groupW = plotW / Math.max(months.length, 1);
  const barW = Math.min(groupW * 0.36, 22);
  let busiest: PublicPeriod | null = null;
  months.forEach((m, i) => {
    const cx = left + groupW * i + groupW / 2;
    if (m.received !== null && m.received > 0 && (busiest === null || m.received > (busiest.received ?? 0))) busiest = m;
    for (const [k, value, dx] of [
      ['received', m.received, -barW] as const,
      ['answered', m.answered, 0] as const,
    ]) {
      if (value === null || value === 0) continue;
      const top0 = y(value);
      parts.push(`<rect x="${(cx + dx).toFixed(1)}" y="${top0.toFixed(1)}" width="${barW.toFixed(1)}" height="${(top + plotH - top0).toFixed(1)}" fill="${COLOURS[k]}"/>`);
    }
    const year = m.from.slice(0, 4);
    const showYear = i === 0 || m.from.slice(5, 7) === '01';
    parts.push(`<text x="${cx.toFixed(1)}" y="${H - bottom + 16}" text-anchor="middle">${escapeHtml(shortName(m, c.cat))}</text>`);
    if (showYear) parts.push(`<text x="${cx.toFixed(1)}" y="${H - bottom + 32}" text-anchor="middle">${year}</text>`);
  });
  const b = busiest as PublicPeriod | null;
  const busiestText = b ? `${formatPeriodName(b, c.cat)}, ${formatCount(b.received, c.cat)}` : null;
  return (
    `<figure><svg role="img" aria-labelledby="chart-title chart-desc" viewBox="0 0 ${W} ${H}" xmlns="http://www.w3.org/2000/svg" font-size="12" fill="${COLOURS.text}">` +
    `<title id="chart-title">${escapeHtml(c.t.chartTitle)}</title><desc id="chart-desc">${escapeHtml(c.t.chartDescription(range, busiestText))}</desc>` +
    parts.join('') +
    `</svg><figcaption><ul class="legend">` +
    `<li><span style="background:${COLOURS.received}"></span>${escapeHtml(c.t.chartLegendReceived)}</li>` +
    `<li><span style="background:${COLOURS.answered}"></span>${escapeHtml(c.t.chartLegendAnswered)}</li></ul>` +
    `<p class="muted">${escapeHtml(c.t.chartNote)}</p></figcaption></figure>`
  );
}

function summary(total: PublicPeriod, c: Ctx): string {
  const items: Array<[string, string]> = [
    [c.cat.received, formatCount(total.received, c.cat)],
    [c.cat.answered, formatCount(total.answered, c.cat)],
    [c.cat.responseRate, formatRate(total.responseRate, c.cat)],
    [c.cat.frtMedian, formatDuration(total.frtMedianMinutes, c.cat)],
    [c.cat.withinSla, formatRate(total.withinSlaRate, c.cat)],
  ];
  return `<dl class="summary">${items.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`).join('')}</dl>`;
}

/** The page in one language. */
export function renderPublicPage(figures: PublicFigures, lang: Locale): string {
  const c: Ctx = { cat: catalogFor(lang), t: PUBLIC_PAGE_TEXT[lang], lang };
  const { cat, t } = c;
  const total = figures.total;
  const range = formatPeriodName(total, cat);
  const withBaseline = figures.months.some((m) => m.baseline);
  const nav = (Object.keys(PAGE_PATHS) as Locale[])
    .map((l) => {
      const current = l === lang ? ' aria-current="page"' : '';
      return `<li><a href="${RELATIVE_HREF[l]}" hreflang="${l}" lang="${l}"${current}>${escapeHtml(PUBLIC_PAGE_TEXT[l].languageName)}</a></li>`;
    })
    .join('');
  const totalName = escapeHtml(cat.total);
  const platformRows = total.byPlatform.map((s): [string, PublicSlice] => [escapeHtml(cat.platformNames[s.platform] ?? s.platform), s]);
  const sectorRows = total.bySector.map((s): [string, PublicSlice] => [escapeHtml(s.names ? s.names[lang] : s.sector ?? cat.noSector), s]);

  return (
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(t.title)}</title>` +
    `<meta name="description" content="${escapeHtml(t.intro(range))}">` +
    (Object.keys(PAGE_PATHS) as Locale[]).map((l) => `<link rel="alternate" hreflang="${l}" href="${RELATIVE_HREF[l]}">`).join('') +
    `<link rel="alternate" type="application/json" href="public.json">` +
    // No favicon to fetch.
    `<link rel="icon" href="data:,">` +
    `<style>${CSS}</style></head><body>` +
    `<header class="wrap"><a class="skip" href="#figures">${escapeHtml(t.skip)}</a>` +
    `<nav class="langs" aria-label="${escapeHtml(t.languages)}"><ul>${nav}</ul></nav>` +
    `<h1>${escapeHtml(t.title)}</h1>` +
    `<p>${escapeHtml(t.intro(range))} ${escapeHtml(t.target(formatDuration(figures.sla.firstResponseMinutes, cat), figures.sla.clock))}</p>` +
    `<p class="muted">${escapeHtml(t.updated(`${formatMoment(new Date(figures.generatedAt), figures.timezone)} (${figures.timezone})`))}</p>` +
    `</header><main id="figures" class="wrap" tabindex="-1">` +
    `<section aria-labelledby="h-summary"><h2 id="h-summary">${escapeHtml(t.summaryHeading(range))}</h2>${summary(total, c)}</section>` +
    `<section aria-labelledby="h-months"><h2 id="h-months">${escapeHtml(t.monthsHeading)}</h2>${chart(figures, range, c)}` +
    table(
      'cap-months',
      t.monthsCaption(range),
      t.month,
      figures.months.map((m) => [periodName(m, c), m]),
      [totalName, total],
      c,
    ) +
    (withBaseline ? `<p class="muted">${escapeHtml(t.enteredNote)}</p>` : '') +
    `</section>` +
    `<section aria-labelledby="h-platform"><h2 id="h-platform">${escapeHtml(cat.byPlatform)}</h2>` +
    table('cap-platform', t.platformCaption(range), t.platform, platformRows, null, c) +
    `</section>` +
    `<section aria-labelledby="h-sector"><h2 id="h-sector">${escapeHtml(cat.bySector)}</h2>` +
    table('cap-sector', t.sectorCaption(range), t.sector, sectorRows, null, c) +
    `</section>` +
    `<section aria-labelledby="h-defs"><h2 id="h-defs">${escapeHtml(t.definitionsHeading)}</h2>` +
    `<dl class="defs">${t.definitions.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl></section>` +
    `</main><footer class="wrap"><p>${escapeHtml(t.openData)} <a href="public.json" type="application/json">${escapeHtml(t.openDataLink)}</a></p>` +
    `<p class="muted">${escapeHtml(t.privacy)}</p></footer></body></html>\n`
  );
}
