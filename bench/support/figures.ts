/**
 * Figures of the pipeline benchmarks: percentiles, a table a person can
 * read, and the JSON written to `bench/results/`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './service-process.js';

/** The p-th percentile (0-100) of `values`, nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** One line of the table: a measured figure and, when there is one, its target. */
export interface Figure {
  benchmark: string;
  measure: string;
  value: number;
  unit: string;
  /** `≥ 1000`, `≤ 50`, `< 250`; absent for figures reported without a target. */
  target?: { op: '>=' | '<=' | '<'; value: number };
  /** Why the figure is what it is, when a reader needs to know. */
  note?: string;
}

export function meets(figure: Figure): boolean | undefined {
  const t = figure.target;
  if (!t) return undefined;
  if (t.op === '>=') return figure.value >= t.value;
  if (t.op === '<=') return figure.value <= t.value;
  return figure.value < t.value;
}

const OPS = { '>=': '≥', '<=': '≤', '<': '<' } as const;

function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : String(round(value, 2));
}

/** A plain-text table: benchmark, measure, value, target, met. */
export function renderTable(figures: Figure[]): string {
  const rows = figures.map((f) => {
    const met = meets(f);
    return [
      f.benchmark,
      f.measure,
      `${formatValue(f.value)} ${f.unit}`.trim(),
      f.target ? `${OPS[f.target.op]} ${formatValue(f.target.value)} ${f.unit}`.trim() : '—',
      met === undefined ? '' : met ? 'met' : 'MISSED',
    ];
  });
  const head = ['benchmark', 'measure', 'value', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function machine(): Record<string, unknown> {
  return { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryMb: Math.round(os.totalmem() / 2 ** 20), node: process.version, platform: `${os.platform()} ${os.release()}` };
}

/** Writes `bench/results/<name>-<time>.json`; returns its path. */
export function writeResults(name: string, data: unknown): string {
  const dir = path.join(repoRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
