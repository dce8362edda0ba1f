/**
 * The report as JSON (DESIGN.md, Interfaces): `periods` holds one object per
 * period with from, to, received, reactions (low-priority items, counted
 * apart from received), answered, answeredNative, dismissed, open,
 * responseRate, withinSlaRate, frtMedianMinutes, frtP90Minutes,
 * frtBusinessMedianMinutes, byPlatform, bySource, bySector, byStaff and baseline (true
 * for counts entered by hand), and more; `total` the whole range when it has
 * several periods; `comparison` the compared periods and the changes.
 */
import type { RangeReport } from '../report.model.js';

export function renderReportJson(report: RangeReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
