/**
 * `POST /webhooks/telegram` (webhook mode, `TELEGRAM_WEBHOOK_URL` +
 * `TELEGRAM_WEBHOOK_SECRET`): checks Telegram's secret-token header in
 * constant time and hands the update to the bot. Staff updates are
 * interactive (a button press expects its answer now), so they are handled
 * while Telegram waits; a failure answers 500 and Telegram delivers the
 * update again. 401 wrong secret, 400 not an update, 503 not listening yet.
 */
import type { FastifyInstance } from 'fastify';
import type { UpdateSource } from '../../telegram/update-source.js';

export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';

const STATUS = { 'wrong-secret': 401, malformed: 400, 'not-listening': 503 } as const;

export function telegramWebhookRoutes(source: Pick<UpdateSource, 'handleWebhook'>) {
  return (app: FastifyInstance): void => {
    app.post(TELEGRAM_WEBHOOK_PATH, async (request, reply) => {
      const header = request.headers['x-telegram-bot-api-secret-token'];
      const outcome = await source.handleWebhook(request.body, typeof header === 'string' ? header : undefined);
      if (outcome.accepted) return reply.code(200).send({ ok: true });
      return reply.code(STATUS[outcome.reason]).send({ ok: false, reason: outcome.reason });
    });
  };
}
