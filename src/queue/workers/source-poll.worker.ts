/**
 * `source.poll` (schedule queue): one poll of one source, run by the
 * schedule worker, which dispatches by job name. Each connected source has
 * its own job scheduler (`source-poll-<id>`, every `FACEBOOK_POLL_EVERY`).
 */
import type { Job } from 'bullmq';
import type { Logger } from '../../observability/logger.js';
import { pollSource, type PollOutcome, type SourcePollDeps } from '../../inbox/poll-source.workflow.js';
import { jobId, type JobPayloads } from '../jobs.js';
import type { ScheduleHandlers, SchedulerSpec } from '../schedulers.js';

/** The schedule handlers of polling: `{ 'source.poll': … }`. */
export function createSourcePollHandlers(deps: SourcePollDeps): ScheduleHandlers {
  return {
    'source.poll': async (job: Job, log: Logger): Promise<PollOutcome> => {
      const { sourceId } = job.data as JobPayloads['source.poll'];
      const outcome = await pollSource({ ...deps, logger: log }, sourceId);
      if (outcome.status === 'skipped') log.debug({ sourceId, reason: outcome.reason }, 'poll skipped');
      return outcome;
    },
  };
}

/** The job scheduler that polls `sourceId` every `everyMinutes`. */
export function sourcePollScheduler(sourceId: number, everyMinutes: number): SchedulerSpec {
  const data: JobPayloads['source.poll'] = { sourceId };
  return { id: jobId.sourcePollScheduler(sourceId), repeat: { every: everyMinutes * 60_000 }, job: { name: 'source.poll', data } };
}
