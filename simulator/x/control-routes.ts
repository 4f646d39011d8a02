import express, { Router, type ErrorRequestHandler } from 'express';
import { z } from 'zod';
import type { XContext } from './context';
import type { XEndpoint } from './settings';
import { xUserSeedSchema } from './seed';
import type { XPost, XToken } from './state';

const rateLimitSchema = z.strictObject({
  limit: z.number().int().nonnegative(),
  windowSeconds: z.number().int().positive(),
});
const endpoints: [XEndpoint, ...XEndpoint[]] = [
  'POST /2/tweets',
  'DELETE /2/tweets/:id',
  'GET /2/tweets/:id',
  'GET /2/users/me',
];

export interface XPostSnapshot {
  id: string;
  authorId: string;
  text: string;
  createdAt: number;
  deletedAt: number | null;
  publicMetrics: XPost['publicMetrics'];
}

export type XTokenSnapshot = Pick<XToken, 'kind' | 'userId' | 'scopes' | 'expiresAt' | 'endedBy'> & {
  value: string;
};

class NotFoundError extends Error {}

const controlErrors: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (res.headersSent) return next(error);
  if (error instanceof z.ZodError) return res.status(400).json({ error: z.prettifyError(error) });
  if (error instanceof NotFoundError) return res.status(404).json({ error: error.message });
  return res.status(500).json({ error: error instanceof Error ? error.message : String(error) });
};

/** `/_sim/x`: add X accounts, set their follower counts, read back posts and tokens, set rate limits. */
export function xControlRoutes(ctx: XContext): Router {
  const router = Router();
  router.use(express.json());
  router.put('/users', (req, res) => {
    res.json(ctx.state.upsertUser(xUserSeedSchema.parse(req.body)));
  });
  router.patch('/users/:id', (req, res) => {
    const user = ctx.state.users.get(req.params.id);
    if (!user) throw new NotFoundError(`No X user ${req.params.id}`);
    const change = z.strictObject({ followersCount: z.number().int().nonnegative() }).parse(req.body);
    user.followersCount = change.followersCount;
    res.json(user);
  });
  router.get('/posts', (_req, res) => {
    const posts: XPostSnapshot[] = [...ctx.state.posts.values()].map((post) => ({ ...post }));
    res.json({ data: posts });
  });
  router.patch('/posts/:id/metrics', (req, res) => {
    const post = ctx.state.posts.get(req.params.id);
    if (!post) throw new NotFoundError(`No X post ${req.params.id}`);
    const metrics = z
      .strictObject({
        impression_count: z.number().int().nonnegative().optional(),
        like_count: z.number().int().nonnegative().optional(),
        retweet_count: z.number().int().nonnegative().optional(),
        reply_count: z.number().int().nonnegative().optional(),
      })
      .parse(req.body);
    Object.assign(post.publicMetrics, metrics);
    res.json(post);
  });
  router.get('/tokens', (_req, res) => {
    const tokens: XTokenSnapshot[] = [...ctx.state.tokens.values()].map((token) => ({
      value: token.value,
      kind: token.kind,
      userId: token.userId,
      scopes: token.scopes,
      expiresAt: token.expiresAt,
      endedBy: token.endedBy,
    }));
    res.json({ data: tokens });
  });
  router.put('/rate-limits', (req, res) => {
    const limits = z.partialRecord(z.enum(endpoints), rateLimitSchema).parse(req.body);
    Object.assign(ctx.settings.rateLimits, limits);
    ctx.state.windows.clear();
    res.json(ctx.settings.rateLimits);
  });
  router.use(controlErrors);
  return router;
}
