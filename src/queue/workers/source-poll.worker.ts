/**
 * `source.poll` (schedule queue): one poll of one source, whatever its
 * platform: the connected account is found in the connector registry by the
 * source. Each polled source has its own job scheduler (`source-poll-<id>`).
 */
import type { Job } from 'bullmq';
import type { Logger } from '../../observability/logger.js';
import { pollSource, type PollOutcome, type SourcePollDeps } from '../../inbox/poll-source.workflow.js';
import type { JobPayloads } from '../jobs.js';

/** The schedule queue's handler of polling: `{ 'source.poll': … }`. */
export function createSourcePollHandlers(deps: SourcePollDeps) {
  return {
    'source.poll': async (job: Pick<Job<JobPayloads['source.poll']>, 'data'>, log: Logger): Promise<PollOutcome> => {
      const { sourceId } = job.data;
      const outcome = await pollSource({ ...deps, logger: log }, sourceId);
      if (outcome.status === 'skipped') log.debug({ sourceId, reason: outcome.reason }, 'poll skipped');
      return outcome;
    },
  };
}
