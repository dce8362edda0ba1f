/**
 * Issue 17, "Done when": the department's 2018 report regenerated from data.
 *
 * The seed's 2018 counters are logged THROUGH THE BOT (the real service and
 * telegraf against the Bot API stand-in: /log, one tap per thing, amounts
 * by force-reply, /remark for what was not counted), the Page's 2018 posts
 * arrive as Facebook feed webhooks, the inquiries come from a baseline
 * (12 answered in January–April, before the system) and an import of
 * platform data (75 answered in May–December); then `ardzagank year 2018`
 * reproduces every figure of the department's report, in its structure, as
 * Markdown, HTML and DOCX (read back with mammoth).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTER_SEED } from '../../src/db/seeds/counters.2026-12-14.js';
import type { SentMessage } from '../../src/stand-ins/bot-api.stand-in.js';
import { feedCommentPayload, PAGE_ID, pagePostPayload } from '../factories/facebook-payloads.js';
import { insertStaffMember, people } from '../factories/staff.factory.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import { runCli } from '../support/run-cli.js';

const hy = (code: string) => COUNTER_SEED.find((c) => c.code === code)!.names.hy;

let h: BotHarness;
let dir: string;
let env: Record<string, string>;
const ani = people.ani; // agent: logs
const aram = people.aram; // supervisor
const lilit = people.lilit; // head of community: reads /year

const CONSULTATIONS_REMARK = 'հատուկ հաշվառում չի իրականացվել, օրական ավելի քան 10';
const PRESS_REMARK = 'չի չափվում';

beforeAll(async () => {
  h = await startBotHarness();
  await insertStaffMember(h.tdb.db, ani, 'agent');
  await insertStaffMember(h.tdb.db, aram, 'supervisor');
  await insertStaffMember(h.tdb.db, lilit, 'head');
  dir = mkdtempSync(path.join(tmpdir(), 'ardzagank-year-'));
  env = { DATABASE_URL: h.tdb.url, LOG_LEVEL: 'silent' };
}, 120_000);

afterAll(async () => {
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function last(personId: number): SentMessage {
  const messages = h.privateMessages(personId);
  return messages[messages.length - 1]!;
}

/** Opens the /log menu for a day; returns the menu message. */
async function openMenu(day: string): Promise<SentMessage> {
  await h.write(ani, `/log ${day}`);
  const menu = last(ani.id);
  expect(menu.buttons.flat().length).toBeGreaterThan(0);
  return menu;
}

async function tap(menu: SentMessage, code: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) {
    const answer = await h.press(ani, menu, { text: hy(code) });
    expect(answer?.text ?? '').toContain('✓');
  }
}

/** A counter with an amount: tap, then reply to the bot's prompt with the amount. */
async function tapWithAmount(menu: SentMessage, code: string, amount: number, note?: string): Promise<void> {
  await h.press(ani, menu, { text: hy(code) });
  const prompt = last(ani.id);
  expect(prompt.replyMarkup).toBeUndefined(); // a force-reply prompt, not a menu
  await h.write(ani, note ? `${amount} ${note}` : String(amount), { replyTo: prompt.messageId });
  expect(last(ani.id).text).toContain('✓');
}

async function remark(year: number, code: string, text: string): Promise<void> {
  await h.write(ani, `/remark ${year}`);
  await h.press(ani, last(ani.id), { text: hy(code) });
  await h.write(ani, text, { replyTo: last(ani.id).messageId });
}

/** Rows of the Markdown table under a heading, as cells. */
function tableUnder(md: string, heading: string): string[][] {
  const start = md.indexOf(heading);
  expect(start, `heading "${heading}"`).toBeGreaterThanOrEqual(0);
  const rest = md.slice(start + heading.length);
  const next = rest.search(/\n#{1,3} /);
  const block = next < 0 ? rest : rest.slice(0, next);
  return block
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|\s*---/.test(l))
    .slice(1)
    .map((l) => l.slice(1, -1).split(' | ').map((c) => c.trim()));
}

function row(rows: string[][], name: string): string[] {
  const found = rows.find((r) => r[0] === name);
  expect(found, `row "${name}" in ${JSON.stringify(rows.map((r) => r[0]))}`).toBeDefined();
  return found!;
}

describe('the year 2018, from data', () => {
  it('logs the counters through the bot, with corrections, as events with who and when', async () => {
    // 12 menus, one a month; 332 citizens received by the head over the year.
    for (let month = 1; month <= 12; month++) {
      const menu = await openMenu(`15.${String(month).padStart(2, '0')}.2018`);
      await tap(menu, 'head_reception', 27 + (month <= 8 ? 1 : 0));
      if (month <= 5) await tap(menu, 'public_hearings');
      if (month <= 10) await tap(menu, 'council_sessions');
      await tap(menu, 'official_meetings', month <= 10 ? 2 : 1);
      if (month <= 4) await tapWithAmount(menu, 'archive', 8);
    }
    // Social assistance commission: 39 sessions, 487 citizens granted support.
    let menu = await openMenu('2018-06-20');
    for (let i = 0; i < 39; i++) await tapWithAmount(menu, 'social_commission', i < 38 ? 12 : 31, i === 0 ? 'բազմազավակ ընտանիքներ' : undefined);
    // Guardianship commission: 24 sessions, 116 agenda questions.
    menu = await openMenu('2018-07-20');
    for (let i = 0; i < 24; i++) await tapWithAmount(menu, 'guardianship_commission', i < 20 ? 5 : 4);

    // A public hearing logged by mistake is cancelled from the menu's own button.
    menu = await openMenu('2018-09-01');
    await tap(menu, 'public_hearings');
    const after = h.privateMessages(ani.id).find((m) => m.messageId === menu.messageId)!;
    const cancel = after.buttons.flat().find((b) => String(b.text).startsWith('↩'))!;
    expect(cancel).toBeDefined();
    await h.press(ani, after, { text: String(cancel.text) });
    expect(last(ani.id).text).toContain('↩');

    // What was not counted, in the department's words.
    await remark(2018, 'office_consultations', CONSULTATIONS_REMARK);
    await remark(2018, 'press_relations', PRESS_REMARK);

    const events = await h.tdb.db.selectFrom('events').select(['type', 'actorStaffId', 'occurredAt']).where('type', 'like', 'counter_%').execute();
    const byType = (t: string) => events.filter((e) => e.type === t);
    expect(byType('counter_logged')).toHaveLength(332 + 5 + 1 + 10 + 22 + 4 + 39 + 24);
    expect(byType('counter_voided')).toHaveLength(1);
    expect(byType('counter_remark')).toHaveLength(2);
    const aniId = (await h.tdb.db.selectFrom('staff').select('id').where('telegramUserId', '=', ani.id).executeTakeFirstOrThrow()).id;
    expect(events.every((e) => e.actorStaffId === aniId && e.occurredAt instanceof Date)).toBe(true);
  }, 600_000);

  it("counts the Page's own 2018 posts from the feed (text and video), not by hand", async () => {
    const payloads: unknown[] = [];
    for (let batch = 0; batch < 3; batch++) {
      const entries: unknown[] = [];
      for (let i = batch * 92; i < Math.min(274, (batch + 1) * 92); i++) {
        const at = new Date(Date.UTC(2018, i % 12, 1 + (i % 27), 8, 0, 0));
        const payload = pagePostPayload({ postId: `104857600000001_${9000 + i}`, createdTime: at }) as unknown as { entry: Array<{ changes: Array<{ value: { item: string } }> }> };
        if (i % 4 === 0) payload.entry[0]!.changes[0]!.value.item = 'video';
        entries.push(...payload.entry);
      }
      payloads.push({ object: 'page', entry: entries });
    }
    for (const p of payloads) await h.ingest(p);
    // One more post in the first days of 2019 (Yerevan time) and one seen twice: neither adds to 2018.
    await h.ingest(pagePostPayload({ postId: '104857600000001_9999', createdTime: new Date('2018-12-31T20:30:00Z') }));
    await h.ingest(pagePostPayload({ postId: '104857600000001_9000', createdTime: new Date(Date.UTC(2018, 0, 1, 8)) }));
    await expect
      .poll(async () => Number((await h.tdb.db.selectFrom('publishedPosts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), { timeout: 60_000 })
      .toBe(275);
  }, 120_000);

  it('takes the inquiries: 12 answered in January–April entered, 75 answered in May–December imported', async () => {
    const baseline = await runCli(['baseline', 'set', '2018-01..2018-04', 'answered=12', '--note', 'from the 2018 annual report'], { env });
    expect(baseline.stderr).toBe('');
    expect(baseline.code).toBe(0);
    const lines = ['platform,posted_at,answered_at,sector,external_id'];
    const sectors = ['water', 'roads_transport', 'waste_sanitation'];
    for (let i = 0; i < 75; i++) {
      const month = 5 + (i % 8);
      const day = 1 + (i % 25);
      const posted = `2018-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')} 10:00`;
      const answered = `2018-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')} ${String(11 + (i % 6)).padStart(2, '0')}:00`;
      lines.push(`${i % 5 === 0 ? 'instagram' : 'facebook'},${posted},${answered},${sectors[i % 3]},hist_${i}`);
    }
    for (let i = 0; i < 5; i++) lines.push(`facebook,2018-11-${String(10 + i).padStart(2, '0')} 09:00,,water,hist_open_${i}`);
    const file = path.join(dir, 'history-2018.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const imported = await runCli(['import', file, '--unanswered', 'open'], { env });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
  }, 120_000);

  it('`year 2018 --format md` reproduces every figure of the department\'s report, in its structure', async () => {
    // A remark for 2017 with markup in it: shown, never interpreted.
    const hostile = await runCli(['counters', 'remark', 'official_meetings', '2017', '<script>alert(1)</script> | *bold*'], { env });
    expect(hostile.code).toBe(0);
    const run = await runCli(['year', '2018', '--format', 'md'], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const md = run.stdout;
    const headings = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['1. Հասարակայնության հետ կապեր', '2. Տեղեկատվություն', '3. Արարողակարգ', '4. Քաղաքացիների հարցերը սոցիալական էջերում']);

    const pr = tableUnder(md, '## 1. Հասարակայնության հետ կապեր');
    expect(row(pr, hy('public_hearings')).slice(1, 3)).toEqual(['5', '—']);
    expect(row(pr, hy('head_reception'))[1]).toBe('332');
    expect(row(pr, hy('office_consultations'))[1]).toBe(CONSULTATIONS_REMARK);
    expect(row(pr, hy('social_commission'))[1]).toBe('39');
    expect(row(pr, '— աջակցություն ստացած քաղաքացիներ')[1]).toBe('487');
    expect(row(pr, hy('guardianship_commission'))[1]).toBe('24');
    expect(row(pr, '— օրակարգային հարցեր')[1]).toBe('116');
    expect(row(pr, 'Սոցիալական էջերում պատասխանված քաղաքացիների հարցեր')[1]).toBe('87');
    expect(row(pr, '— 2018 թ. հունվար – ապրիլ, մինչ համակարգը (մուտքագրված)')[1]).toBe('12');
    expect(row(pr, '— 2018 թ. մայիս – դեկտեմբեր, համակարգով')[1]).toBe('75');

    const info = tableUnder(md, '## 2. Տեղեկատվություն');
    expect(row(info, hy('published_posts'))[1]).toBe('274');
    expect(row(info, hy('archive'))[1]).toBe('32 ԳԲ');
    expect(row(info, hy('press_relations'))[1]).toBe(PRESS_REMARK);

    const protocol = tableUnder(md, '## 3. Արարողակարգ');
    expect(row(protocol, hy('council_sessions'))[1]).toBe('10');
    const meetings = row(protocol, hy('official_meetings'));
    expect(meetings[1]).toBe('22');
    // The 2017 remark is escaped Markdown: no table break, no markup.
    expect(meetings[2]).toBe('\\<script\\>alert(1)\\</script\\> \\| \\*bold\\*');

    const inquiries = tableUnder(md, '## 4. Քաղաքացիների հարցերը սոցիալական էջերում');
    expect(row(inquiries, 'Ստացված')[1]).toBe('80');
    expect(row(inquiries, 'Պատասխանված')[1]).toBe('87');
    expect(row(inquiries, 'Պատասխանների տոկոս')[1]).toMatch(/^93[.,]8\s?%$/);
    expect(row(inquiries, 'Առաջին պատասխան, մեդիան')[1]).toBe('3 ժ');
    const sectors = tableUnder(md, '### Ըստ ոլորտի (2018)');
    expect(sectors.map((r) => r[2]).reduce((n, v) => n + Number(v), 0)).toBe(75);
    const platforms = tableUnder(md, '### Ըստ հարթակի (2018)');
    expect(row(platforms, 'Instagram')[2]).toBe('15');
    expect(row(platforms, 'Facebook')[2]).toBe('60');
    // By source: the imported history came from no connected source.
    const sources = tableUnder(md, '### Ըստ աղբյուրի (2018)');
    expect(sources).toEqual([[expect.any(String), '80', '75', expect.any(String), '3 ժ']]);
    expect(row(sources, 'առանց աղբյուրի')[2]).toBe('75');
    expect(md).toContain('պատասխանված 12 (2018 թ. հունվար – ապրիլ)');

    // The same in English and Russian.
    const en = (await runCli(['year', '2018', '--format', 'md', '--lang', 'en'], { env })).stdout;
    expect(en).toContain('| Public hearings held | 5 | — | — |');
    expect(en).toContain('| — January – April 2018, before the system (entered) | 12 |');
    expect(en).toContain('| — May – December 2018, with the system | 75 |');
    // The follow-through figures (issue 18): imported answers are final, so they closed at their answer.
    expect(en).toContain('| Final answers (closed) | 75 |');
    expect(en).toContain('| Resolution time, median | 3 h |');
    const ru = (await runCli(['year', '2018', '--format', 'md', '--lang', 'ru'], { env })).stdout;
    expect(ru).toContain('| Граждане, принятые главой общины | 332 |');
  }, 120_000);

  it('writes HTML that escapes entered text, and a DOCX a library reads back with the figures', async () => {
    const html = await runCli(['year', '2018', '--format', 'html', '--lang', 'en'], { env });
    expect(html.code).toBe(0);
    expect(html.stdout).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html.stdout).not.toContain('<script>');
    expect(html.stdout).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.stdout).toContain('<th scope="row">Citizens received by the head of the community</th><td>332</td>');
    expect(html.stdout.match(/<table>/g)?.length).toBeGreaterThanOrEqual(4);

    const file = path.join(dir, 'year-2018.docx');
    const docx = await runCli(['year', '2018', '--format', 'docx', '--out', file], { env });
    expect(docx.stderr).toBe('');
    expect(docx.code).toBe(0);
    const read = await mammoth.extractRawText({ buffer: readFileSync(file) });
    const paragraphs = read.value.split('\n').map((l) => l.trim()).filter(Boolean);
    const after = (label: string) => paragraphs[paragraphs.indexOf(label) + 1];
    expect(paragraphs).toContain('2018 թվականը թվերով');
    expect(after(hy('public_hearings'))).toBe('5');
    expect(after(hy('head_reception'))).toBe('332');
    expect(after(hy('office_consultations'))).toBe(CONSULTATIONS_REMARK);
    expect(after(hy('social_commission'))).toBe('39');
    expect(after('աջակցություն ստացած քաղաքացիներ')).toBe('487');
    expect(after(hy('guardianship_commission'))).toBe('24');
    expect(after('օրակարգային հարցեր')).toBe('116');
    expect(after('2018 թ. հունվար – ապրիլ, մինչ համակարգը (մուտքագրված)')).toBe('12');
    expect(after('2018 թ. մայիս – դեկտեմբեր, համակարգով')).toBe('75');
    expect(after(hy('published_posts'))).toBe('274');
    expect(after(hy('archive'))).toBe('32 ԳԲ');
    expect(after(hy('press_relations'))).toBe(PRESS_REMARK);
    expect(after(hy('council_sessions'))).toBe('10');
    expect(after(hy('official_meetings'))).toBe('22');
  }, 120_000);

  it('shows the inquiries by source (the Page by its name) as well as by platform', async () => {
    // Three questions on the Page in 2019, two of them answered by the Page itself.
    const asked = (i: number) => new Date(Date.UTC(2019, 2, 10 + i, 7, 0, 0));
    // Three citizens, under three posts.
    for (let i = 0; i < 3; i++) {
      await h.ingest(
        feedCommentPayload({
          commentId: `90000000000000${i + 1}_${7100 + i}`,
          postId: `${PAGE_ID}_90000000000000${i + 1}`,
          from: { id: `700000000000010${i}`, name: `Քաղաքացի ${i + 1}` },
          message: `Հարց ${i}. Երբ կվերանորոգվի բակը։`,
          createdTime: asked(i),
        }),
      );
    }
    // The answers once the questions are in (ingest jobs run concurrently).
    await expect.poll(async () => (await h.tdb.db.selectFrom('inquiries').select('id').where('externalId', 'like', '90000000000000__71%').execute()).length, { timeout: 60_000 }).toBe(3);
    for (let i = 0; i < 2; i++) {
      await h.ingest(
        feedCommentPayload({
          commentId: `90000000000000${i + 1}_${7200 + i}`,
          postId: `${PAGE_ID}_90000000000000${i + 1}`,
          parentId: `90000000000000${i + 1}_${7100 + i}`,
          from: { id: PAGE_ID, name: 'City Hall' },
          message: `Այս ամիս (${i + 1})`,
          createdTime: new Date(asked(i).getTime() + 2 * 3_600_000),
        }),
      );
    }
    await expect
      .poll(async () => (await h.tdb.db.selectFrom('inquiries').select(['firstResponseAt']).where('externalId', 'like', '90000000000000__71%').execute()).filter((r) => r.firstResponseAt).length, { timeout: 60_000 })
      .toBe(2);
    const source = await h.tdb.db.selectFrom('sources').select(['id', 'name']).where('platform', '=', 'facebook').where('externalId', '=', PAGE_ID).executeTakeFirstOrThrow();
    const run = await runCli(['year', '2019', '--format', 'md', '--lang', 'en'], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const sources = tableUnder(run.stdout, '### By source (2019)');
    expect(sources).toEqual([[`${source.name} (Facebook)`, '3', '2', expect.stringMatching(/^66[.,]7\s?%$/), '2 h']]);
    expect(tableUnder(run.stdout, '### By platform (2019)')).toEqual([['Facebook', '3', '2', expect.stringMatching(/^66[.,]7\s?%$/), '2 h']]);
    // The same table in the other formats: HTML (escaped) and Telegram text.
    const html = (await runCli(['year', '2019', '--format', 'html', '--lang', 'ru'], { env })).stdout;
    expect(html).toContain('<h3>По источникам (2019)</h3>');
    expect(html).toContain('<h3>По платформам (2019)</h3>');
    const text = (await runCli(['year', '2019', '--lang', 'en'], { env })).stdout;
    expect(text).toContain('By source (2019)');
    expect(text).toContain(`${source.name} (Facebook): Received 3, Answered 2`);
  }, 120_000);

  it('/year shows the head of community the same figures in Telegram', async () => {
    await h.write(lilit, '/year 2018');
    const text = last(lilit.id).text;
    expect(text).toContain(`${hy('head_reception')}: 332`);
    expect(text).toContain('2018 թ. մայիս – դեկտեմբեր, համակարգով: 75');
    expect(text).toContain(`${hy('published_posts')}: 274`);
  }, 60_000);
});
