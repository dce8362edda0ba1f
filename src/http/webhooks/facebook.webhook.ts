/**
 * `GET|POST /webhooks/facebook`.
 *
 * - GET: Facebook's subscription handshake. `hub.mode=subscribe` with the
 *   right `hub.verify_token` (FACEBOOK_VERIFY_TOKEN) is answered with
 *   `hub.challenge`; anything else gets 403.
 * - POST: a delivery. The body is kept as raw bytes (this route's own
 *   content-type parser) and `X-Hub-Signature-256` is checked over exactly
 *   those bytes with FACEBOOK_APP_SECRET, in constant time; unsigned or badly
 *   signed requests get 401 and nothing is stored. A signed delivery is
 *   stored in `inbound_events` (dedup key: SHA-256 of the raw body, so a
 *   redelivery is stored once) BEFORE the 200; a body that is not JSON, or
 *   nests deeper than 64 levels, gets 400; if storing fails the answer is
 *   503 and Facebook delivers again later. Processing happens in the ingest
 *   queue; if enqueueing fails the reconciler queues it later.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isValidWebhookSignature, constantTimeEquals, webhookDedupKey } from '../../connectors/meta/webhook-signature.js';
import type { Db } from '../../db/create-db.js';
import { insertInboundEvents, type NewInboundEvent } from '../../db/repositories/inbound-event.repository.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { describeError } from '../../observability/redact.js';
import type { Producers } from '../../queue/producers.js';
import { createMicroBatcher } from '../../lib/micro-batcher.js';

export const FACEBOOK_WEBHOOK_PATH = '/webhooks/facebook';

/** Deepest nesting of a body that is stored (Facebook's payloads have about 7 levels). */
const MAX_NESTING = 64;

/** Brackets (`{` and `[`) in a raw body, an upper bound of how deep its JSON can nest. */
function bracketCount(raw: Buffer): number {
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === 0x7b || c === 0x5b) n++;
  }
  return n;
}

/**
 * Whether PostgreSQL refused the value itself (SQLSTATE class 22, data
 * exception: not JSON, a NUL; class 54, a program limit: nesting too deep),
 * which cleaning the payload may cure. Anything else (the database down, a
 * lost connection) fails the careful way too, so trying it is only more load.
 */
function refusedAsData(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|54)[0-9A-Z]{3}$/.test(code);
}

/** Whether `value` nests arrays and objects more than `limit` levels deep (iterative: no stack to overflow). */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<{ v: unknown; depth: number }> = [{ v: value, depth: 0 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push({ v: child, depth: depth + 1 });
  }
  return false;
}

export interface FacebookWebhookDeps {
  db: Db;
  /** `ingestTogether` (one job for deliveries stored together) is used when present. */
  producers: Pick<Producers, 'ingest'> & Partial<Pick<Producers, 'ingestTogether'>>;
  logger: Logger;
  metrics?: Pick<Metrics, 'inboundReceived'>;
  appSecret: string;
  verifyToken: string;
  secrets?: readonly string[];
}

/** The route plugin; register it with `createHttpServer({ routes: [facebookWebhookRoutes(deps)] })`. */
export function facebookWebhookRoutes(deps: FacebookWebhookDeps): (app: FastifyInstance) => void {
  return (app) => {
    // Only inside this plugin's scope: every body arrives as the bytes Facebook signed.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    const log = deps.logger.child({ part: 'facebook-webhook' });
    // Deliveries arriving together are stored with one insert and queued with
    // one Redis call: under load, one round trip each would cap the intake.
    // Two batches at a time: while one waits for PostgreSQL and Redis, the
    // next collects what arrives meanwhile. With one at a time, the service
    // sat idle between batches (a third of its time under load); measured
    // with `npm run bench:pipeline` on a 2-core machine, two give 5-18 % more
    // inquiries a second than one (five alternating pairs); three measured the
    // same as two.
    const store = createMicroBatcher<NewInboundEvent, { id: number; inserted: boolean } | { error: unknown }>({
      maxBatch: 200,
      maxInFlight: 2,
      run: async (events) => {
        let stored: Array<{ id: number; inserted: boolean } | { error: unknown }>;
        try {
          stored = await insertInboundEvents(deps.db, events);
        } catch (error) {
          if (events.length === 1) throw error;
          // One delivery that cannot be stored must not turn the others away: each on its own.
          stored = await Promise.all(events.map((e) => insertInboundEvents(deps.db, [e]).then(([r]) => r!, (error: unknown) => ({ error }))));
        }
        const ids = [...new Set(stored.flatMap((s) => ('id' in s ? [s.id] : [])))];
        try {
          if (deps.producers.ingestTogether) await deps.producers.ingestTogether(ids);
          else for (const id of ids) await deps.producers.ingest(id);
        } catch (error) {
          // Stored is what matters: the reconciler queues pending events.
          log.warn({ inboundEventIds: ids, error: describeError(error, deps.secrets) }, 'stored the deliveries but could not queue them; the reconciler will');
        }
        return stored;
      },
    });

    // Not stored: Facebook delivers again after a non-200.
    const unavailable = (reply: FastifyReply, error: unknown) => {
      log.error({ error: describeError(error, deps.secrets) }, 'could not store the webhook delivery; answered 503 so Facebook delivers it again');
      return reply.code(503).send({ error: 'not stored, try again' });
    };

    app.get(FACEBOOK_WEBHOOK_PATH, { logLevel: 'warn' }, async (req, reply) => {
      // The query carries the verify token: this route's requests are not logged (logLevel warn).
      const query = req.query as Record<string, string | undefined>;
      const mode = query['hub.mode'];
      const token = query['hub.verify_token'] ?? '';
      const challenge = query['hub.challenge'] ?? '';
      if (mode === 'subscribe' && constantTimeEquals(token, deps.verifyToken)) {
        log.info('Facebook verified the webhook subscription');
        return reply.code(200).header('content-type', 'text/plain; charset=utf-8').send(challenge);
      }
      log.warn({ mode }, 'webhook verification refused: wrong hub.verify_token or hub.mode (compare with FACEBOOK_VERIFY_TOKEN)');
      return reply.code(403).send({ error: 'verification failed' });
    });

    // A busy Page sends thousands of deliveries: they are counted (ardzagank_inbound_events_total), not
    // logged one by one at info (two access-log lines each cost a sixth of the intake); refusals are logged below.
    app.post(FACEBOOK_WEBHOOK_PATH, { logLevel: 'warn' }, async (req, reply) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const header = req.headers['x-hub-signature-256'];
      const signature = Array.isArray(header) ? header[0] : header;
      if (!isValidWebhookSignature(raw, signature, deps.appSecret)) {
        log.warn({ signed: signature !== undefined, bytes: raw.length }, 'webhook refused: missing or wrong X-Hub-Signature-256 (is FACEBOOK_APP_SECRET the app secret of the subscribed app?)');
        return reply.code(401).send({ error: 'invalid signature' });
      }
      const dedupKey = webhookDedupKey(raw);
      let stored: { id: number; inserted: boolean } | undefined;
      // Nearly every delivery is stored as the text it is (PostgreSQL parses it into jsonb):
      // parsing it here as well would cost a tenth of the intake. A body with more brackets
      // than the nesting allowed, or one whose value PostgreSQL refuses, takes the careful
      // way below; a database that cannot store anything gets its 503 at once.
      if (bracketCount(raw) <= MAX_NESTING) {
        const outcome = await store.submit({ platform: 'facebook', origin: 'webhook', dedupKey, json: raw.toString('utf8') }).catch((error: unknown) => ({ error }));
        if (!('error' in outcome)) stored = outcome;
        else if (!refusedAsData(outcome.error)) return unavailable(reply, outcome.error);
      }
      if (!stored) {
        let payload: unknown;
        try {
          payload = JSON.parse(raw.toString('utf8'));
        } catch {
          log.warn({ bytes: raw.length }, 'signed webhook body is not JSON; ignored');
          return reply.code(400).send({ error: 'body is not JSON' });
        }
        // Facebook's payloads nest a few levels; thousands cannot be serialised or stored.
        if (nestsDeeperThan(payload, MAX_NESTING)) {
          log.warn({ bytes: raw.length }, `signed webhook body nests deeper than ${MAX_NESTING} levels; ignored`);
          return reply.code(400).send({ error: `body nests deeper than ${MAX_NESTING} levels` });
        }
        try {
          // Made storable (payloadJson): a NUL or a lone surrogate becomes U+FFFD.
          const outcome = await store.submit({ platform: 'facebook', origin: 'webhook', dedupKey, payload });
          if ('error' in outcome) throw outcome.error;
          stored = outcome;
        } catch (error) {
          return unavailable(reply, error);
        }
      }
      deps.metrics?.inboundReceived.inc({ platform: 'facebook', origin: 'webhook', duplicate: String(!stored.inserted) });
      return reply.code(200).send({ status: 'ok' });
    });
  };
}
