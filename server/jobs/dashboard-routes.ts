import type { Agenda } from 'agenda';
import { createExpressMiddleware } from 'agendash';
import { Router } from 'express';
import { z } from 'zod';
import { requireOperator, requireSessionWith, type Operators } from '../accounts/authorization';
import { hasValidCsrfToken, isSameOriginJson } from '../accounts/csrf';
import { objectIdString } from '../platform/ids';

export const jobsDashboardPath = '/admin/jobs';

const chosenJobs = z.strictObject({ jobIds: z.array(objectIdString).min(1).max(1000) });
const newJob = z.strictObject({
  jobName: z.string().trim().min(1).max(200),
  jobSchedule: z.string().max(200).optional(),
  jobRepeatEvery: z.string().max(200).optional(),
  jobData: z.unknown().optional(),
});

/**
 * Agendash at /admin/jobs, for the operators: it lists, creates, requeues and deletes the jobs of every workspace.
 * Its page's script posts JSON without our CSRF token, so its posts must come from this origin.
 */
export function createJobsDashboardRouter(deps: {
  agenda: Agenda;
  publicUrl: string;
  operators: Operators;
}): Router {
  const origin = new URL(deps.publicUrl).origin;
  const router = Router();
  router.use(
    requireSessionWith((req) => hasValidCsrfToken(req) || isSameOriginJson(req, origin)),
    requireOperator(deps.operators),
  );
  // Its page loads `./assets/…` and calls `./api`, relative to a path that ends with a slash.
  router.get('/', (req, res, next) => {
    if (req.originalUrl.split('?')[0]?.endsWith('/')) return next();
    res.redirect(301, `${jobsDashboardPath}/`);
  });
  // Agendash sets a CSP of its own, without the app's frame-ancestors, form-action or object-src 'none'. Its page
  // needs nothing the app's policy refuses (a module script and a stylesheet from its assets, inline styles), so the
  // app's stays.
  router.use((_req, res, next) => {
    const setHeader = res.setHeader.bind(res);
    res.setHeader = (name, value) =>
      name.toLowerCase() === 'content-security-policy' ? res : setHeader(name, value);
    next();
  });
  // Agendash passes its bodies on unchecked, and Agenda's Mongo backend ignores an id list that is not an array of
  // strings: a requeue or retry of `{"jobIds": "x"}` would act on every job.
  router.post('/api/jobs/:action', (req, _res, next) => {
    (req.params.action === 'create' ? newJob : chosenJobs).parse(req.body);
    next();
  });
  router.use(createExpressMiddleware(deps.agenda));
  return router;
}
