import type { JobDefinition } from '../jobs/job-registry';
import type { SponsoredMessageService } from './service';

export const pullSponsoredResultsJobName = 'sponsored-messages:pull-results';

/** Reads the status and results of running sponsored messages from Meta; reads only, so a second run is harmless. */
export function pullSponsoredResultsJob(
  service: Pick<SponsoredMessageService, 'pullAll'>,
): JobDefinition<unknown> {
  return {
    name: pullSponsoredResultsJobName,
    lockLifetimeMs: 10 * 60_000,
    concurrency: 1,
    handle: () => service.pullAll(),
  };
}
