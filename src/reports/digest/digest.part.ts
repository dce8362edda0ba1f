/**
 * The weekly digest as a part of the service: a BullMQ job scheduler on
 * DIGEST_CRON in TIMEZONE (every instance upserts the same one, so one job
 * fires per week), the `digest.send` handler on the schedule queue, and, at
 * start, the catch-up of a digest missed while the service was down.
 */
import type { Job, Queue } from 'bullmq';
import { configSecrets, type Config } from '../../config.js';
import type { OpenedDatabase } from '../../db/create-db.js';
import type { Logger } from '../../observability/logger.js';
import { createDigestService, type DigestRunResult, type DigestService } from './digest.service.js';
import { createTelegramClient } from '../../telegram/telegram-client.js';
import { jobId, type JobPayloads } from '../../queue/jobs.js';
import type { JobHandlers } from '../../queue/handlers.js';
import { upsertSchedulers } from '../../queue/schedulers.js';
import type { OffPart, ServicePart } from '../../service-part.js';

/** When a `digest.send` job was due: its payload, else its scheduler's fire time. */
export function dueAtOfJob(job: Pick<Job, 'data' | 'opts' | 'timestamp'>): Date {
  const data = job.data as JobPayloads['digest.send'];
  if (data?.dueAt) return new Date(data.dueAt);
  const fire = job.opts.prevMillis ?? job.timestamp + (job.opts.delay ?? 0);
  return new Date(fire);
}

/** Processes one `digest.send` job. */
export async function processDigestJob(service: DigestService, job: Pick<Job, 'data' | 'opts' | 'timestamp'>, log: Logger): Promise<DigestRunResult> {
  const result = await service.send({ dueAt: dueAtOfJob(job) });
  log.info({ week: result.week, late: result.late, sent: result.sent.length, skipped: result.skipped.length, failed: result.failed.length }, 'weekly digest job done');
  return result;
}

/** Registers the weekly scheduler and, when the last digest is owed, a catch-up job. */
export async function scheduleDigest(queue: Queue, service: DigestService, config: Pick<Config, 'digest' | 'timezone'>, log: Logger): Promise<void> {
  await upsertSchedulers(queue, [
    { id: jobId.digestScheduler, repeat: { pattern: config.digest.cron, tz: config.timezone }, job: { name: 'digest.send', data: { reason: 'schedule' } } },
  ]);
  const owed = await service.dueCatchUp();
  if (owed) {
    const data: JobPayloads['digest.send'] = { reason: 'catch_up', dueAt: owed.dueAt.toISOString() };
    await queue.add('digest.send', data, { jobId: jobId.digestSend(owed.week), attempts: 5, backoff: { type: 'exponential', delay: 30_000 } });
    log.info({ week: owed.week, dueAt: data.dueAt }, 'the last weekly digest was not sent to everyone: sending it now, marked late');
  }
}

/** What the part needs of the service context (main.ts ServiceContext has it). */
export interface DigestPartContext {
  config: Config;
  logger: Logger;
  database: OpenedDatabase;
  queues: { schedule: Queue };
  now: () => Date;
}

/**
 * The digest part for `DEFAULT_PARTS`: off without TELEGRAM_BOT_TOKEN (it is
 * sent by the bot), otherwise the scheduler, its handler and the catch-up.
 */
async function buildDigestPart(ctx: DigestPartContext): Promise<ServicePart | OffPart> {
  const { config } = ctx;
  if (!config.telegram.botToken) return { off: 'Weekly digest is off: it is sent by the Telegram bot (set TELEGRAM_BOT_TOKEN).' };
  const logger = ctx.logger.child({ part: 'digest' });
  const telegram = createTelegramClient({ token: config.telegram.botToken, apiRoot: config.telegram.apiRoot, logger, secrets: configSecrets(config) });
  const service = createDigestService({ db: ctx.database.db, config, telegram, logger, now: ctx.now, secrets: configSecrets(config) });
  const handlers: JobHandlers = { 'digest.send': (job, log) => processDigestJob(service, job, log) };
  return {
    name: 'digest',
    handlers,
    start: () => scheduleDigest(ctx.queues.schedule, service, config, logger),
  };
}

/** The digest part (its scheduled job: `digest.send`). */
export const digestPart = Object.assign(buildDigestPart, { jobs: ['digest.send'] as const });
