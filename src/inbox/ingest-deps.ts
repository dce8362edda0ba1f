/**
 * Builds the ingest dependencies from configuration: the connectors' parsers,
 * sector suggestion from the editable rules in the database, low-priority
 * detection and the SLA due time in business or wall-clock time.
 */
import type { Config } from '../config.js';
import type { ConnectorRegistry } from '../connectors/registry.js';
import type { Db } from '../db/create-db.js';
import { findActiveSectorRules } from '../db/repositories/sector.repository.js';
import { createBusinessClock } from '../domain/business-time.js';
import { createHolidayCalendar } from '../domain/holidays.js';
import { isLowPriorityText, suggestSector, type SectorRule } from '../domain/sectors.js';
import type { Logger } from '../observability/logger.js';
import type { IngestDeps } from './ingest.workflow.js';

const RULES_TTL_MS = 60_000;

export interface CreateIngestDepsOptions {
  db: Db;
  config: Pick<Config, 'timezone' | 'businessHours' | 'holidays' | 'sla'> & Partial<Pick<Config, 'waves' | 'followThrough'>>;
  logger: Logger;
  /** Parses each stored payload with its platform's connector module. */
  registry: Pick<ConnectorRegistry, 'parse'>;
  now?: () => Date;
}

/** Loads the active sectors' keyword rules; cached for a minute. */
export function createSectorRulesCache(db: Db, now: () => Date = () => new Date()) {
  let cached: { at: number; rules: SectorRule[] } | undefined;
  return async (executor: Db = db): Promise<SectorRule[]> => {
    if (cached && now().getTime() - cached.at < RULES_TTL_MS) return cached.rules;
    const rules = await findActiveSectorRules(executor);
    cached = { at: now().getTime(), rules };
    return rules;
  };
}

export function createIngestDeps(options: CreateIngestDepsOptions): IngestDeps {
  const now = options.now ?? (() => new Date());
  const { config } = options;
  const clock = createBusinessClock({
    timezone: config.timezone,
    hours: config.businessHours,
    holidays: createHolidayCalendar(config.holidays),
  });
  const rules = createSectorRulesCache(options.db, now);
  return {
    db: options.db,
    logger: options.logger,
    now,
    parseInbound: (platform, payload) => options.registry.parse(platform, payload),
    suggestSector: async (trx, text) => suggestSector(text, await rules(trx))?.code,
    isLowPriority: isLowPriorityText,
    ...(config.waves?.enabled ? { waves: config.waves } : {}),
    slaDueAt: (postedAt) =>
      config.sla.clock === 'business'
        ? clock.addBusinessMinutes(postedAt, config.sla.firstResponseMinutes)
        : new Date(postedAt.getTime() + config.sla.firstResponseMinutes * 60_000),
    resolutionDueAt: (postedAt) =>
      config.sla.clock === 'business'
        ? clock.addBusinessMinutes(postedAt, config.sla.resolutionMinutes)
        : new Date(postedAt.getTime() + config.sla.resolutionMinutes * 60_000),
    followUpWindowMinutes: config.followThrough?.followUpWindowMinutes ?? 0,
  };
}
