/**
 * The contract between the composition root (`main.ts`) and the parts it
 * runs (the Telegram bot, the weekly digest…; platforms are connector
 * modules, `connectors/registry.ts`). Parts import this module, never `main.ts`.
 */
import type { WorkerOptions } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { OpenedDatabase } from './db/create-db.js';
import type { Logger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import type { JobHandlers } from './queue/handlers.js';
import type { JobName, QueueName } from './queue/jobs.js';
import type { Producers, Queues } from './queue/producers.js';
import type { QueueTransport } from './queue/transport.js';
import type { TelegramUpdate, TelegramUpdateType } from './telegram/telegram-client.js';

/** What every part gets to build itself. */
export interface ServiceContext {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  database: OpenedDatabase;
  queues: Queues;
  producers: Producers;
  /** What carries the queues (Redis or PostgreSQL): every Queue and Worker is made by it. */
  transport: QueueTransport;
  /** The service's clock (injected by tests and the demo). */
  now: () => Date;
  /** This instance among several on one database (`host:pid:random`): the holder of its leases. */
  instanceId: string;
  /**
   * The secrets the service's logs are scrubbed of (the config's, at first):
   * a part that reads a credential from the database (a source's token
   * stored encrypted) adds it here before using it.
   */
  secrets: string[];
  /**
   * Takers of Telegram updates before the staff bot (a channel's discussion
   * group): each returns true when it took the update. Filled by the
   * connector modules; the Telegram part's one update source calls them.
   */
  telegramUpdateRoutes: TelegramUpdateRoute[];
  /** Update kinds those takers need beyond the usual ones (Telegram sends `message_reaction` only when asked). */
  telegramUpdateKinds: TelegramUpdateType[];
  /**
   * The connector registry, set once the platforms' modules are built (before
   * the parts): parts that act on a platform (hiding a comment from a card)
   * go through it.
   */
  connectors?: import('./connectors/registry.js').ConnectorRegistry;
}

/** Takes a Telegram update it is for (true), or leaves it to the next (false). `origin`: how it came. */
export type TelegramUpdateRoute = (update: TelegramUpdate, origin: 'poll' | 'webhook') => Promise<boolean>;

/** Settings of a queue's one worker. */
export interface WorkerSettings {
  concurrency?: number;
  limiter?: WorkerOptions['limiter'];
}

/** A running part of the service. */
export interface ServicePart {
  name: string;
  /**
   * The jobs this part runs. The service runs one worker per queue over the
   * handlers of all parts; a queue's worker starts only with a handler for
   * every job of that queue (the notify queue runs only when a part handles it).
   */
  handlers?: JobHandlers;
  /** Settings of the worker of a queue this part's handlers fill (the notify queue's pace). */
  workers?: Partial<Record<QueueName, WorkerSettings>>;
  routes?: Array<(app: FastifyInstance) => void | Promise<void>>;
  /**
   * Checks `/readyz` runs besides the database and the queues: each throws, with
   * a message for the operator (never a secret), while the part cannot work.
   */
  readiness?: Array<{ name: string; check: () => Promise<void> }>;
  start?: () => Promise<void>;
  close?: () => Promise<void>;
}

/** A part that is off: one line saying which variable turns it on. */
export interface OffPart {
  off: string;
}

/** A part factory returns the part, or says it is off. */
export interface PartFactory {
  (ctx: ServiceContext): Promise<ServicePart | OffPart>;
  /**
   * The scheduled jobs the part runs. While it is off, their runs (scheduled
   * by an earlier start) are skipped with its off line.
   */
  readonly jobs?: readonly JobName[];
}
