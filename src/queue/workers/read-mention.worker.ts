/**
 * `mention.read` (schedule queue, with the other Graph reads): the text,
 * author and time of an inquiry taken in with its ids only (an Instagram
 * mention), read through its source's connector. A transient failure is
 * thrown for the queue to retry; see `inbox/read-mention.workflow.ts`.
 */
import type { Job } from 'bullmq';
import type { Logger } from '../../observability/logger.js';
import { readMention, type ReadMentionDeps, type ReadMentionOutcome } from '../../inbox/read-mention.workflow.js';
import type { JobPayloads } from '../jobs.js';

/** The schedule queue's handler of mention reads: `{ 'mention.read': … }`. */
export function createReadMentionHandlers(deps: ReadMentionDeps) {
  return {
    'mention.read': async (job: Pick<Job<JobPayloads['mention.read']>, 'data'>, log: Logger): Promise<ReadMentionOutcome> => {
      const outcome = await readMention({ ...deps, logger: log }, job.data.inquiryId);
      if (outcome.status === 'skipped') log.debug({ inquiryId: job.data.inquiryId, reason: outcome.reason }, 'mention read skipped');
      return outcome;
    },
  };
}
