/**
 * Wave suggestion measured on the labelled comments of
 * `tests/fixtures/waves/labelled-comments.txt`: pairwise precision and recall
 * (targets 0.9 and 0.8). Part of `npm run bench`; quick and needs nothing running.
 */
import { measureWaveSuggestion, WAVE_FIXTURE } from './support/wave-fixture.js';

const m = measureWaveSuggestion();
console.log(`Wave suggestion on ${WAVE_FIXTURE}: ${m.comments} comments, ${m.incidents} labelled incidents, ${m.waves} waves suggested`);
console.log(`  pairwise precision ${m.precision.toFixed(3)} (target >= 0.9), recall ${m.recall.toFixed(3)} (target >= 0.8)`);
console.log(`  pairs: ${m.truePairs} right, ${m.falsePairs} wrongly joined, ${m.missedPairs} missed`);
if (m.precision < 0.9 || m.recall < 0.8) process.exitCode = 1;
