/**
 * Fault tests that kill the service run the compiled `ardzagank start` as a
 * child process (`npm test` builds it first). A build older than the source
 * would test yesterday's code: say so instead.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../../bench/support/service-process.js';

function newest(dir: string, ext: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(full, ext));
    else if (entry.name.endsWith(ext)) latest = Math.max(latest, statSync(full).mtimeMs);
  }
  return latest;
}

export function assertBuildIsFresh(): void {
  const root = repoRoot();
  let built: number;
  try {
    built = newest(path.join(root, 'dist', 'src'), '.js');
  } catch {
    throw new Error('dist/ is missing: run "npm run build" (npm test does it) before the fault tests');
  }
  const source = newest(path.join(root, 'src'), '.ts');
  if (source > built + 1_000) throw new Error('dist/ is older than src/: run "npm run build" (npm test does it) before the fault tests');
}
