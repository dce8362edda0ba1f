/**
 * The digest's chart as a PNG: the last weeks' received and answered
 * inquiries as bars and the median first-response time (hours) as a line,
 * drawn by chart.js on @napi-rs/canvas.
 *
 * Text is drawn with DejaVu Sans from the `dejavu-fonts-ttf` package (free
 * licence: Bitstream Vera with DejaVu changes in the public domain), which
 * has Armenian and Cyrillic glyphs; the system's fonts are never relied on,
 * so the chart looks the same in the Docker image, in CI and on a laptop.
 *
 * The canvas (a native library) and chart.js are loaded at the first chart,
 * not at start: the service draws one a week, and they would cost ~20 MB of
 * resident memory all the time (README, Memory).
 */
import { createRequire } from 'node:module';
import type { ChartConfiguration } from 'chart.js';
import type { ReportCatalog } from '../i18n/catalog.js';

export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 675;
const FONT_FAMILY = 'Ardzagank DejaVu Sans';

/** The drawing libraries with the font registered, loaded once at the first chart. */
let drawing: Promise<{ createCanvas: typeof import('@napi-rs/canvas').createCanvas; Chart: typeof import('chart.js').Chart }> | undefined;
function prepare(): NonNullable<typeof drawing> {
  drawing ??= (async () => {
    const [{ createCanvas, GlobalFonts }, { Chart, registerables }] = await Promise.all([import('@napi-rs/canvas'), import('chart.js')]);
    const require = createRequire(import.meta.url);
    for (const file of ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf']) {
      const path = require.resolve(`dejavu-fonts-ttf/ttf/${file}`);
      if (!GlobalFonts.registerFromPath(path, FONT_FAMILY)) throw new Error(`Could not load the chart font ${path}; reinstall dependencies (npm ci).`);
    }
    Chart.register(...registerables);
    return { createCanvas, Chart };
  })().catch((error: unknown) => {
    drawing = undefined;
    throw error;
  });
  return drawing;
}

/** One week of the chart. */
export interface ChartWeek {
  /** Axis label, e.g. `16.11`. */
  label: string;
  received: number;
  answered: number;
  /** Median first-response time in minutes, or null when nothing was answered. */
  frtMedianMinutes: number | null;
}

/** Draws the chart; returns PNG bytes of {@link CHART_WIDTH}×{@link CHART_HEIGHT}. */
export async function renderWeeklyChart(weeks: ChartWeek[], cat: ReportCatalog, title: string = cat.digest.chartTitle): Promise<Buffer> {
  const { createCanvas, Chart } = await prepare();
  const canvas = createCanvas(CHART_WIDTH, CHART_HEIGHT);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, CHART_WIDTH, CHART_HEIGHT);
  const config: ChartConfiguration<'bar' | 'line', Array<number | null>, string> = {
    type: 'bar',
    data: {
      labels: weeks.map((w) => w.label),
      datasets: [
        { type: 'bar', label: cat.digest.chartReceived, data: weeks.map((w) => w.received), backgroundColor: '#9ecae1', yAxisID: 'y', order: 2 },
        { type: 'bar', label: cat.digest.chartAnswered, data: weeks.map((w) => w.answered), backgroundColor: '#3182bd', yAxisID: 'y', order: 2 },
        {
          type: 'line',
          label: cat.digest.chartMedian,
          data: weeks.map((w) => (w.frtMedianMinutes === null ? null : Math.round((w.frtMedianMinutes / 60) * 10) / 10)),
          borderColor: '#e6550d',
          backgroundColor: '#e6550d',
          borderWidth: 3,
          pointRadius: 4,
          spanGaps: true,
          yAxisID: 'hours',
          order: 1,
        },
      ],
    },
    options: {
      responsive: false,
      animation: false,
      // Tick numbers as the reader writes them (4 000, 2,5 in Armenian and Russian).
      locale: cat.locale,
      devicePixelRatio: 1,
      layout: { padding: 16 },
      plugins: {
        title: { display: true, text: title, font: { size: 24, weight: 'bold', family: FONT_FAMILY }, color: '#222' },
        // Bars first in the legend, though the line is drawn over them.
        legend: { position: 'bottom', labels: { font: { size: 16, family: FONT_FAMILY }, color: '#333', sort: (a, b) => (a.datasetIndex ?? 0) - (b.datasetIndex ?? 0) } },
      },
      scales: {
        x: { ticks: { font: { size: 15, family: FONT_FAMILY }, color: '#333' }, grid: { display: false } },
        y: {
          beginAtZero: true,
          position: 'left',
          title: { display: true, text: cat.digest.chartCount, font: { size: 16, family: FONT_FAMILY }, color: '#333' },
          ticks: { precision: 0, font: { size: 14, family: FONT_FAMILY }, color: '#333' },
        },
        hours: {
          beginAtZero: true,
          position: 'right',
          title: { display: true, text: cat.digest.chartHours, font: { size: 16, family: FONT_FAMILY }, color: '#e6550d' },
          ticks: { font: { size: 14, family: FONT_FAMILY }, color: '#e6550d' },
          grid: { drawOnChartArea: false },
        },
      },
    },
  };
  // chart.js draws on any 2D context; the canvas package's one is close enough to the DOM's.
  const chart = new Chart(ctx as unknown as ConstructorParameters<typeof Chart>[0], config as ChartConfiguration);
  try {
    return canvas.toBuffer('image/png');
  } finally {
    chart.destroy();
  }
}
