import { Router } from 'express';
import { z } from 'zod';
import type { DataDeletionStatus } from '../../models/data-deletion-request';
import { verifySignedRequest } from '../facebook/signed-request';
import type { Clock } from '../platform/clock';
import { BadRequest } from '../platform/errors';
import type { MetaCallbacks } from './meta-callbacks';

const callbackBody = z.object({ signed_request: z.string().min(3).max(10_000) });
const statusParams = z.object({ code: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) });

export const dataDeletionStatusPath = '/data-deletion';

const statusSentences: Record<DataDeletionStatus, string> = {
  pending: 'received; the deletion is under way.',
  completed: 'Pagewire has deleted the data it held about you.',
  failed:
    'the deletion could not be finished automatically; the people who run Pagewire have been told and will finish it.',
};

/**
 * Meta's app callbacks, beside the webhook at /webhooks/facebook: `/deauthorize` when a person removes the app,
 * `/data-deletion` when they ask Meta to have their data deleted (answered at once; the deletion runs as a job). Both
 * carry a `signed_request` form field; a forged or expired one is refused and changes nothing.
 */
export function createMetaCallbackRouter(deps: {
  callbacks: MetaCallbacks;
  appSecret: string;
  clock: Clock;
}) {
  const router = Router();

  function signedUserId(body: unknown): string {
    const parsed = callbackBody.safeParse(body);
    if (!parsed.success) throw new BadRequest('Expected a signed_request form field.');
    const check = verifySignedRequest(parsed.data.signed_request, deps.appSecret, deps.clock.now());
    if ('refused' in check) throw new BadRequest(`signed_request refused: ${check.refused}.`);
    return check.userId;
  }

  router.post('/deauthorize', async (req, res) => {
    await deps.callbacks.deauthorize(signedUserId(req.body));
    res.sendStatus(200);
  });
  router.post('/data-deletion', async (req, res) => {
    res.json(await deps.callbacks.requestDataDeletion(signedUserId(req.body)));
  });
  return router;
}

/** `GET /data-deletion/:code`: the status URL Meta shows the person who asked for the deletion. */
export function createDataDeletionStatusRouter(callbacks: MetaCallbacks) {
  const router = Router();
  router.get('/:code', async (req, res) => {
    const { code } = statusParams.parse(req.params);
    const status = await callbacks.deletionStatus(code);
    res.format({
      json: () => res.json(status),
      html: () =>
        res.send(
          `<!doctype html><html lang="en"><title>Data deletion ${code}</title><main><h1>Your data deletion request</h1>` +
            `<p>Confirmation code <code>${code}</code>: ${statusSentences[status.status]}</p></main></html>`,
        ),
    });
  });
  return router;
}
