/**
 * The labelled comments of `tests/fixtures/waves/labelled-comments.txt`
 * (written for Ardzagank: several incidents in Armenian, Russian, English and
 * translit, plus unrelated questions and noise), and how well wave
 * suggestion groups them (pairwise precision and recall).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pairwiseScores, suggestWaves, type WaveInput } from '../../src/domain/waves.js';

export interface LabelledComment extends WaveInput {
  platform: string;
  kind: string;
  /** The incident it belongs to, or undefined. */
  incident: string | undefined;
}

/** The repository's root, from this file (`bench/support` or `dist/bench/support`). */
function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      readFileSync(path.join(dir, 'package.json'));
      return dir;
    } catch {
      dir = path.dirname(dir);
    }
  }
  throw new Error('package.json not found above bench/support');
}

export const WAVE_FIXTURE = 'tests/fixtures/waves/labelled-comments.txt';

export function loadLabelledComments(file = path.join(repoRoot(), WAVE_FIXTURE)): LabelledComment[] {
  const out: LabelledComment[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [id, source, thread, time, label, ...rest] = line.split('|');
    const [platform, kind] = source!.split(':');
    const [day, hm] = time!.split(' ');
    out.push({
      id: id!,
      platform: platform!,
      kind: kind!,
      thread: `${platform}:${thread}`,
      postedAt: new Date(`2026-${day}T${hm}:00+04:00`),
      incident: label === '-' ? undefined : label,
      text: rest.join('|'),
    });
  }
  return out;
}

/** Suggests waves over the labelled comments and scores them. */
export function measureWaveSuggestion(comments = loadLabelledComments()) {
  const suggested = suggestWaves(comments);
  const truth = new Map(comments.map((c) => [c.id, c.incident]));
  const scores = pairwiseScores(comments.map((c) => c.id), truth, suggested);
  return { comments: comments.length, incidents: new Set(comments.map((c) => c.incident).filter(Boolean)).size, waves: new Set(suggested.values()).size, ...scores, suggested };
}
