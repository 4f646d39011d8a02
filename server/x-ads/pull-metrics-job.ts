import { XAdsConnectionModel } from '../../models/x-ads-connection';
import type { JobDefinition } from '../jobs/job-registry';
import type { Logger } from '../platform/logger';
import type { XAdsMetrics } from './metrics';

export const pullMetricsJobName = 'x-ads:pull-metrics';

/**
 * Every connection's campaign and account metrics, one connection after another; the pacer spaces the calls within
 * X's rate windows. One failed connection is logged and the others still pulled. Storing is an upsert per day, so a
 * run repeated after a crash changes nothing.
 */
export function pullMetricsJob(metrics: XAdsMetrics, logger: Logger): JobDefinition<unknown> {
  return {
    name: pullMetricsJobName,
    // A window of 250 calls every 15 minutes covers many accounts; an hour lets a long pull finish.
    lockLifetimeMs: 60 * 60_000,
    concurrency: 1,
    handle: async () => {
      const connections = await XAdsConnectionModel.find({ status: 'active' }, { _id: 1 }).lean();
      for (const connection of connections) {
        try {
          await metrics.pull(connection._id.toString());
        } catch (error) {
          logger.error({ err: error, connectionId: connection._id.toString() }, 'X Ads pull failed');
        }
      }
    },
  };
}
