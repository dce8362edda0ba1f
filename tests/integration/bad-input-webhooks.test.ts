/**
 * The bad-input corpus of `POST /webhooks/facebook`: every file in
 * `tests/fixtures/bad-input/webhooks/` is one delivery (or a replay of one)
 * and what must come of it: unsigned or badly signed ones 401 and nothing
 * stored; unparseable ones 400 and nothing stored; too big ones 413; signed
 * oddities stored and processed into exactly the inquiries they hold, or
 * failed for good with a clear reason. The service never crashes.
 *
 * The payloads in the shapes real deliveries take (numbers as strings,
 * `created_time` as seconds, milliseconds or ISO text, the legacy
 * `sender_id`, Messenger events that are not messages, the standby channel,
 * several Pages in one body, echoes of automated messages) are written from
 * Meta's webhook references (Page `feed`, Messenger `messages`,
 * `message_echoes`, `message_reactions`, `message_reads`,
 * `message_deliveries`, `messaging_postbacks`, `messaging_optins`,
 * `messaging_game_plays`, `standby`). Each says what became an inquiry, and
 * what was kept but ignored and why (the `inbound_ignored` event of its
 * delivery) or recorded as an automated page message.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startService, type RunningService } from '../../src/main.js';
import { facebookJson, signBody } from '../../bench/support/facebook-load.js';
import { captureLogger, createTestDatabase, removeTestQueues, queueEnv, uniqueQueuePrefix, type CapturedLogger, type TestDatabase } from '../support/test-env.js';

const DIR = path.resolve('tests/fixtures/bad-input/webhooks');
const APP_SECRET = '3d9f1a7c5b2e8d4f6a0c1e3b5d7f9a2c';
const VERIFY_TOKEN = 'bad-input-verify-5e7a';
/** The Page the corpus is delivered for (another Page's entries use 104857600000999). */
const PAGE_ID = '104857600000777';

interface ExpectedInquiry {
  text?: string;
  textLength?: number;
  textMatches?: string;
  lowPriority?: boolean;
  authorName?: string | null;
  authorId?: string | null;
  postedAt?: string;
  status?: string;
  answeredVia?: string | null;
  attachments?: Array<{ kind: string; url: string | null }>;
}

/** An item of the delivery kept but not taken in (the `inbound_ignored` event), as much of it as the case names. */
interface ExpectedIgnored {
  reason: 'not_a_source' | 'not_understood' | 'unsupported';
  kind?: string;
  account?: string;
  externalId?: string;
  path?: string;
}

interface Case {
  description: string;
  json?: unknown;
  body?: string;
  generate?: { kind: 'oversize' | 'deep-nesting' | 'giant-text'; bytes?: number; depth?: number; chars?: number; commentId?: string };
  signature?: 'valid' | 'none' | 'wrong-secret' | 'malformed' | 'sha1' | 'other-body' | 'reserialised';
  send?: number;
  expect: {
    status: number | number[];
    stored?: boolean;
    inbound?: 'processed' | 'failed';
    lastError?: string;
    inquiries?: ExpectedInquiry[];
    /** What was kept and ignored, in the delivery's order; [] when nothing was. */
    ignored?: ExpectedIgnored[];
    /** Page messages recorded as automated (not answers), in order. */
    automated?: Array<{ reason: string; externalId?: string; appId?: string }>;
    crash?: false;
  };
}

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, spec: JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Case }));

function bodyOf(spec: Case): string {
  if (spec.body !== undefined) return spec.body;
  if (spec.json !== undefined) return facebookJson(spec.json);
  const g = spec.generate!;
  if (g.kind === 'oversize') {
    const filler = 'ա'.repeat(Math.ceil((g.bytes ?? 1_200_000) / 2));
    return facebookJson({ object: 'page', entry: [{ id: '104857600000777', time: 1795800000, changes: [{ field: 'feed', value: { message: filler } }] }] }).slice(0, g.bytes);
  }
  if (g.kind === 'deep-nesting') return `${'['.repeat(g.depth ?? 100_000)}${']'.repeat(g.depth ?? 100_000)}`;
  const text = 'Բարև ձեզ, '.repeat(Math.ceil((g.chars ?? 60_000) / 10)).slice(0, g.chars ?? 60_000);
  return facebookJson({
    object: 'page',
    entry: [
      {
        id: '104857600000777',
        time: 1795800000,
        changes: [
          {
            field: 'feed',
            value: {
              from: { id: '7300000000000077', name: 'Long' },
              message: text,
              post_id: '104857600000777_900000000001',
              comment_id: `900000000001_${g.commentId ?? '1'}`,
              created_time: 1795800000,
              item: 'comment',
              parent_id: '104857600000777_900000000001',
              verb: 'add',
            },
          },
        ],
      },
    ],
  });
}

function headersFor(spec: Case, body: string): Record<string, string> {
  const mode = spec.signature ?? 'valid';
  switch (mode) {
    case 'valid':
      return { 'x-hub-signature-256': signBody(body, APP_SECRET) };
    case 'none':
      return {};
    case 'wrong-secret':
      return { 'x-hub-signature-256': signBody(body, 'an-other-apps-secret-000000000000') };
    case 'malformed':
      return { 'x-hub-signature-256': 'sha256=not-hex-at-all' };
    case 'sha1':
      return { 'x-hub-signature': `sha1=${createHash('sha1').update(body).digest('hex')}` };
    case 'other-body':
      return { 'x-hub-signature-256': signBody(`${body} `, APP_SECRET) };
    case 'reserialised':
      return { 'x-hub-signature-256': signBody(body, APP_SECRET) };
  }
}

let tdb: TestDatabase;
let service: RunningService;
let captured: CapturedLogger;
const prefix = uniqueQueuePrefix('badhook');

beforeAll(async () => {
  tdb = await createTestDatabase();
  captured = captureLogger({ level: 'info' });
  const config = loadConfig({
    env: {
      DATABASE_URL: tdb.url,
      ...queueEnv(),
      QUEUE_PREFIX: prefix,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      FACEBOOK_APP_SECRET: APP_SECRET,
      FACEBOOK_VERIFY_TOKEN: VERIFY_TOKEN,
      // The connected Page: its webhooks are taken in (no token: not polled, not answered from here).
      FACEBOOK_PAGE_ID: PAGE_ID,
    },
  });
  service = await startService({ config, logger: captured.logger, reconcileEveryMs: 3_600_000 });
});

afterAll(async () => {
  await service?.close();
  await removeTestQueues(tdb.url, prefix);
  await tdb?.close();
});

const inboundCount = async () => Number((await tdb.db.selectFrom('inboundEvents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('bad input at POST /webhooks/facebook', () => {
  it('has a corpus', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  for (const { file, spec } of cases) {
    it(`${file}: ${spec.description}`, async () => {
      const body = bodyOf(spec);
      const sent = spec.signature === 'reserialised' ? JSON.stringify(JSON.parse(body)) : body;
      if (spec.signature === 'reserialised') expect(sent).not.toBe(body);
      const before = await inboundCount();
      const statuses: number[] = [];
      for (let i = 0; i < (spec.send ?? 1); i++) {
        const response = await fetch(`${service.address}/webhooks/facebook`, { method: 'POST', headers: { 'content-type': 'application/json', ...headersFor(spec, body) }, body: sent });
        statuses.push(response.status);
        const answer = await response.text();
        // Every answer is short and says what was wrong, never a stack trace.
        expect(answer.length).toBeLessThan(500);
        expect(answer).not.toMatch(/\bat .+:\d+:\d+/);
      }
      const allowed = Array.isArray(spec.expect.status) ? spec.expect.status : [spec.expect.status];
      for (const status of statuses) expect(allowed).toContain(status);
      expect((await fetch(`${service.address}/healthz`)).status).toBe(200);

      const stored = await tdb.db.selectFrom('inboundEvents').selectAll().where('dedupKey', '=', createHash('sha256').update(sent).digest('hex')).execute();
      if (spec.expect.stored === false) {
        expect(stored).toEqual([]);
        expect(await inboundCount()).toBe(before);
        return;
      }
      if (spec.expect.stored === true) expect(stored).toHaveLength(1);
      if (stored.length === 0) return;
      const id = stored[0]!.id;
      await expect.poll(async () => (await tdb.db.selectFrom('inboundEvents').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, { timeout: 15_000 }).not.toBe('pending');
      const row = await tdb.db.selectFrom('inboundEvents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      if (spec.expect.inbound) expect(row.status).toBe(spec.expect.inbound);
      if (spec.expect.lastError) expect(row.lastError).toMatch(new RegExp(spec.expect.lastError));

      const inquiries = await tdb.db
        .selectFrom('inquiries')
        .innerJoin('events', 'events.inquiryId', 'inquiries.id')
        .select([
          'inquiries.id',
          'inquiries.text',
          'inquiries.lowPriority',
          'inquiries.authorName',
          'inquiries.authorId',
          'inquiries.postedAt',
          'inquiries.status',
          'inquiries.answeredVia',
        ])
        .where('events.type', '=', 'ingested')
        .where((eb) => eb(eb.cast(eb.ref('events.payload', '->>').key('inboundEventId' as never), 'bigint'), '=', id))
        .orderBy('inquiries.id')
        .execute();
      const ofThisDelivery = async (type: string) =>
        (
          await tdb.db
            .selectFrom('events')
            .select('payload')
            .where('type', '=', type)
            .where(sql<string>`payload->>'inboundEventId'`, '=', String(id))
            .orderBy('id')
            .execute()
        ).map((e) => e.payload as Record<string, unknown>);
      if (spec.expect.inquiries) {
        expect(inquiries).toHaveLength(spec.expect.inquiries.length);
        for (const [i, want] of spec.expect.inquiries.entries()) {
          const got = inquiries[i]!;
          if (want.text !== undefined) expect(got.text).toBe(want.text);
          if (want.textLength !== undefined) expect(got.text).toHaveLength(want.textLength);
          if (want.textMatches !== undefined) expect(got.text).toMatch(new RegExp(want.textMatches, 'u'));
          if (want.lowPriority !== undefined) expect(got.lowPriority).toBe(want.lowPriority);
          if (want.authorName !== undefined) expect(got.authorName).toBe(want.authorName);
          if (want.authorId !== undefined) expect(got.authorId).toBe(want.authorId);
          if (want.postedAt !== undefined) expect(got.postedAt.toISOString()).toBe(want.postedAt);
          if (want.status !== undefined) expect(got.status).toBe(want.status);
          if (want.answeredVia !== undefined) expect(got.answeredVia).toBe(want.answeredVia);
          if (want.attachments !== undefined) {
            const { rows } = await sql<{ attachments: unknown }>`select attachments from inquiries where id = ${got.id}`.execute(tdb.db);
            expect(rows[0]!.attachments).toEqual(want.attachments);
          }
        }
      }
      if (spec.expect.ignored) {
        const ignored = (await ofThisDelivery('inbound_ignored')).flatMap((e) => e.items as unknown[]);
        expect(ignored).toMatchObject(spec.expect.ignored);
      }
      if (spec.expect.automated) {
        expect(await ofThisDelivery('automated_page_message')).toMatchObject(spec.expect.automated);
      }
    });
  }

  it('logged no secret and no unhandled error', () => {
    const text = captured.text();
    for (const secret of [APP_SECRET, VERIFY_TOKEN]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/"level":60/);
  });
});
