/**
 * `ardzagank demo`, the README's first command: the scripted month played
 * against the stand-ins through the whole service, ending with the month's
 * report and the digest chart. Run here on a part of the month, on the test
 * database, to stay quick.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/demo.js';
import { DEMO_QUESTIONS } from '../../src/demo/demo-script.js';
import { createTestDatabase, testRedisUrl, type TestDatabase } from '../support/test-env.js';

let tdb: TestDatabase;
let dir: string;
beforeAll(async () => {
  tdb = await createTestDatabase();
  dir = mkdtempSync(path.join(tmpdir(), 'ardzagank-demo-test-'));
});
afterAll(async () => {
  await tdb.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the demo', () => {
  it('plays the month through the bot and the Graph API stand-in, then reports what happened', async () => {
    const lines: string[] = [];
    const limit = 12;
    const pngPath = path.join(dir, 'digest.png');
    const summary = await runDemo({ out: (l) => lines.push(l), month: '2026-10', pngPath, ...(testRedisUrl() ? { redisUrl: testRedisUrl()! } : {}), databaseUrl: tdb.url, timezone: 'Asia/Yerevan', limit });

    const played = DEMO_QUESTIONS.slice(0, limit);
    const count = (kind: string) => played.filter((q) => q.outcome.kind === kind).length;
    expect(summary).toMatchObject({
      month: '2026-10',
      asked: limit,
      answeredByStaff: count('staff'),
      answeredNatively: count('native'),
      dismissed: count('dismiss'),
      open: count('open'),
    });

    // What the database says matches the story.
    const rows = await tdb.db.selectFrom('inquiries').select(['status', 'answeredVia']).execute();
    expect(rows).toHaveLength(limit);
    expect(rows.filter((r) => r.answeredVia === 'telegram')).toHaveLength(count('staff'));
    expect(rows.filter((r) => r.answeredVia === 'native')).toHaveLength(count('native'));
    expect(rows.filter((r) => r.status === 'dismissed')).toHaveLength(count('dismiss'));
    // Some are Instagram comments: one answered by staff (published on Instagram), one answered natively by the city's account.
    const instagram = await tdb.db.selectFrom('inquiries').select(['answeredVia', 'externalId']).where('platform', '=', 'instagram').orderBy('id').execute();
    expect(instagram.map((r) => r.answeredVia)).toEqual(played.filter((q) => q.channel === 'instagram').map((q) => (q.outcome.kind === 'staff' ? 'telegram' : q.outcome.kind === 'native' ? 'native' : null)));
    expect(instagram.length).toBeGreaterThanOrEqual(2);
    expect(lines.join('\n')).toMatch(/asks by an Instagram comment/);
    expect(lines.join('\n')).toMatch(/published on Instagram/);

    // The report, in Armenian, with the month's figures.
    const received = limit - count('dismiss');
    expect(summary.reportText).toMatch(new RegExp(`Ստացված\\s+${received}\\n`));
    expect(summary.reportText).toMatch(new RegExp(`Պատասխանված\\s+${count('staff') + count('native')}\\n`));
    expect(lines.join('\n')).toContain('#1 claimed by Անի Պետրոսյան.');
    // Channel comments are played too: one of the first twelve is asked under a post of the Telegram channel and answered there.
    expect(played.some((q) => q.channel === 'telegram')).toBe(true);
    expect(lines.join('\n')).toMatch(/asks by a comment in the Telegram channel: "Իսկ մեր բակը/);
    expect(lines.join('\n')).toMatch(/answered by Արամ through the bot in \S+.*; posted in the discussion group as a reply to the comment\./);
    expect(lines.at(-1)).toMatch(/^Done: 12 questions/);

    // The chart is a PNG of the size the digest sends.
    const png = readFileSync(pngPath);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.readUInt32BE(16)).toBe(1200);
    expect(png.readUInt32BE(20)).toBe(675);
  }, 120_000);
});
