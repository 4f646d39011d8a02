import { Router } from 'express';
import { z } from 'zod';
import { memberForSession, requireSession } from '../accounts/authorization';
import { isoInstant, type ApiOperation } from '../platform/openapi/api-operation';
import type { SandboxService } from './service';

const simulatorId = z
  .string()
  .regex(/^[\w.-]{1,100}$/, 'expects a simulator id such as "alice", "100200300400500" or a post id');
const personMessage = z.strictObject({
  personId: simulatorId,
  pageId: simulatorId,
  text: z.string().min(1).max(2000),
  quickReplyPayload: z.string().min(1).max(1000).optional(),
});
const personComment = z.strictObject({
  personId: simulatorId,
  postId: simulatorId,
  message: z.string().min(1).max(8000),
});
const pagePost = z.strictObject({ pageId: simulatorId, message: z.string().min(1).max(8000) });
const maxAdvanceHours = 24 * 366;
const clockAdvance = z
  .strictObject({
    hours: z.number().positive().max(maxAdvanceHours).optional(),
    ms: z
      .number()
      .int()
      .positive()
      .max(maxAdvanceHours * 3_600_000)
      .optional(),
  })
  .refine((body) => (body.hours === undefined) !== (body.ms === undefined), 'Give either hours or ms.')
  .transform(({ hours, ms }) => ({ ms: ms ?? Math.round((hours ?? 0) * 3_600_000) }));

/**
 * /api/sandbox: what the dashboard's sandbox panel shows and does. `GET /` is public so the sign-in page can say it
 * is the sandbox; the world (people, Pages, posts) and every action need a session and the CSRF token.
 */
export function createSandboxRouter(sandbox: SandboxService, simulatorUrl: string): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const member = await memberForSession(req.session);
    res.json(member ? await sandbox.describe() : { enabled: true, simulatorUrl });
  });

  router.post('/messages', requireSession, async (req, res) => {
    const { personId, pageId, ...message } = personMessage.parse(req.body);
    res.status(202).json(await sandbox.sendMessage(personId, pageId, message));
  });

  router.post('/comments', requireSession, async (req, res) => {
    const { personId, postId, message } = personComment.parse(req.body);
    const { commentId, postId: commentedPostId } = await sandbox.comment(personId, postId, message);
    res.status(202).json({ commentId, postId: commentedPostId });
  });

  router.post('/posts', requireSession, async (req, res) => {
    const { pageId, message } = pagePost.parse(req.body);
    res.status(201).json(await sandbox.createPost(pageId, message));
  });

  router.post('/clock/advance', requireSession, async (req, res) => {
    res.json(await sandbox.advanceClock(clockAdvance.parse(req.body).ms));
  });

  return router;
}

/** Outside the sandbox only this answers, so the sign-in page knows; every other sandbox path is a 404. */
export function createSandboxDisabledRouter(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json({ enabled: false });
  });
  return router;
}

const tag = 'Sandbox';

/** Outside the sandbox, the one sandbox operation. */
export const sandboxOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/sandbox',
    summary: 'Whether this deployment is the sandbox; in it, signed in, its people, Pages, posts and time.',
    tag,
    access: 'public',
    responses: { 200: { description: 'Whether it is.', schema: z.looseObject({ enabled: z.boolean() }) } },
  },
];

/** In the sandbox (SANDBOX=1), the dashboard's actions as the simulator's people, for a session only. */
export const sandboxActionOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/sandbox/messages',
    summary: 'A person of the simulator writes to a Page.',
    tag,
    access: 'member',
    body: personMessage,
    responses: {
      202: {
        description: 'The simulator sent the webhook.',
        schema: z.looseObject({ psid: z.string(), mid: z.string(), timestamp: z.number() }),
      },
    },
  },
  {
    method: 'post',
    path: '/api/sandbox/comments',
    summary: "A person of the simulator comments on a Page's post.",
    tag,
    access: 'member',
    body: personComment,
    responses: {
      202: {
        description: 'The simulator sent the webhook.',
        schema: z.object({ commentId: z.string(), postId: z.string() }),
      },
    },
  },
  {
    method: 'post',
    path: '/api/sandbox/posts',
    summary: 'A Page of the simulator publishes a post.',
    tag,
    access: 'member',
    body: pagePost,
    responses: { 201: { description: 'The post.', schema: z.looseObject({ postId: z.string() }) } },
  },
  {
    method: 'post',
    path: '/api/sandbox/clock/advance',
    summary: "Moves the simulator's clock and the app's together.",
    tag,
    access: 'member',
    body: clockAdvance,
    responses: {
      200: {
        description: 'Both clocks after the move.',
        schema: z.object({ now: isoInstant, simulatorNow: isoInstant }),
      },
    },
  },
];
