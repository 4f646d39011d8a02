import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { NotFound, Unauthorized } from '../errors';
import { metricsContentType, renderMetrics } from '../metrics';

export const metricsPath = '/metrics';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `GET /metrics` for Prometheus, with `Authorization: Bearer <METRICS_TOKEN>`. Without METRICS_TOKEN it does not
 * exist (404), so a deployment that never configured it publishes nothing.
 */
export function createMetricsRouter(token: string | undefined): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    if (!token) throw new NotFound('Metrics are off: set METRICS_TOKEN to serve them.');
    const presented = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    // Digests have one length, so the comparison takes the same time whatever was presented.
    if (!presented || !timingSafeEqual(digest(presented), digest(token))) {
      res.set('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new Unauthorized('Send Authorization: Bearer with the METRICS_TOKEN.');
    }
    res.type(metricsContentType).send(await renderMetrics());
  });
  return router;
}
