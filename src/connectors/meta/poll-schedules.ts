/**
 * The polls of a Meta platform's sources (Facebook Pages, Instagram
 * accounts): one job scheduler per source every `FACEBOOK_POLL_EVERY`, or
 * none when it is off; a paused source is said at start with what to do.
 */
import type { SourceRow } from '../../db/schema.js';
import type { Logger } from '../../observability/logger.js';
import { jobId } from '../../queue/jobs.js';
import type { Queues } from '../../queue/producers.js';
import { sourcePollScheduler, upsertSchedulers } from '../../queue/schedulers.js';

export async function scheduleSourcePolls(
  schedule: Queues['schedule'],
  sources: SourceRow[],
  everyMinutes: number | undefined,
  log: Logger,
  what: string,
): Promise<void> {
  for (const source of sources) {
    if (everyMinutes === undefined) await schedule.removeJobScheduler(jobId.sourcePollScheduler(source.id));
    else await upsertSchedulers(schedule, [sourcePollScheduler(source.id, everyMinutes)]);
    if (!source.enabled) {
      log.warn(
        { sourceId: source.id, pausedAt: source.pausedAt, reason: source.pausedReason },
        `${what} source ${source.id} is paused; after setting a new token run "ardzagank sources resume ${source.id}".`,
      );
    }
  }
}
