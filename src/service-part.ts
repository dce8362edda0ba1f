/**
 * The contract between the composition root (`main.ts`) and the parts it
 * runs (Facebook connector, Telegram bot, weekly digest…). Parts import this
 * module, never `main.ts`.
 */
import type { Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { OpenedDatabase } from './db/create-db.js';
import type { Logger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import type { Producers, Queues } from './queue/producers.js';
import type { ScheduleHandlers } from './queue/schedulers.js';

/** What every part gets to build itself. */
export interface ServiceContext {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  database: OpenedDatabase;
  queues: Queues;
  producers: Producers;
  connection: Redis;
  /** The service's clock (injected by tests and the demo). */
  now: () => Date;
}

/** A running part of the service. */
export interface ServicePart {
  name: string;
  workers?: Worker[];
  routes?: Array<(app: FastifyInstance) => void | Promise<void>>;
  scheduleHandlers?: ScheduleHandlers;
  /**
   * Checks `/readyz` runs besides the database and Redis: each throws, with
   * a message for the operator (never a secret), while the part cannot work.
   */
  readiness?: Array<{ name: string; check: () => Promise<void> }>;
  start?: () => Promise<void>;
  close?: () => Promise<void>;
}

/** A part factory returns the part, or one line saying it is off and which variable turns it on. */
export type PartFactory = (ctx: ServiceContext) => Promise<ServicePart | { off: string }>;
