import { Router, type Request } from 'express';
import twitter from 'twitter-text';
import { authenticateBearer } from './bearer';
import type { XContext } from './context';
import { XProblem } from './problems';
import { spendRateLimit } from './rate-limits';
import type { XPost, XUser } from './state';

const writeScopes = ['tweet.read', 'tweet.write', 'users.read'];
const readScopes = ['tweet.read', 'users.read'];

/** X API v2: the authenticated user and posts (docs/x-platform.md §2–§4). */
export function xApiRoutes(ctx: XContext): Router {
  const router = Router();

  router.get('/2/users/me', (req, res) => {
    const { user } = authenticateBearer(ctx, req, readScopes);
    spendRateLimit(ctx, res, 'GET /2/users/me', user.id);
    res.json({ data: userView(ctx, user, requestedFields(req, 'user.fields')) });
  });

  router.post('/2/tweets', (req, res) => {
    const { user } = authenticateBearer(ctx, req, writeScopes);
    spendRateLimit(ctx, res, 'POST /2/tweets', user.id);
    const text: unknown = (req.body as { text?: unknown } | undefined)?.text;
    if (typeof text !== 'string' || text.trim() === '') {
      throw XProblem.invalid('One or more parameters to your request was invalid.');
    }
    if (twitter.parseTweet(text).weightedLength > ctx.settings.maxPostLength) {
      throw XProblem.forbidden('Your Tweet text is too long.');
    }
    if (isDuplicate(ctx, user.id, text)) throw XProblem.duplicate();
    const post: XPost = {
      id: ctx.state.newPostId(),
      authorId: user.id,
      text,
      createdAt: ctx.clock.now(),
      deletedAt: null,
      publicMetrics: {
        retweet_count: 0,
        reply_count: 0,
        like_count: 0,
        quote_count: 0,
        bookmark_count: 0,
        impression_count: 0,
      },
    };
    ctx.state.posts.set(post.id, post);
    res.status(201).json({ data: { id: post.id, text: post.text, edit_history_tweet_ids: [post.id] } });
  });

  router.delete('/2/tweets/:id', (req, res) => {
    const { user } = authenticateBearer(ctx, req, writeScopes);
    spendRateLimit(ctx, res, 'DELETE /2/tweets/:id', user.id);
    const post = ctx.state.posts.get(String(req.params.id));
    if (!post || post.deletedAt !== null) return res.json({ data: { deleted: false } });
    if (post.authorId !== user.id) throw XProblem.forbidden('You are not allowed to delete this Tweet.');
    post.deletedAt = ctx.clock.now();
    res.json({ data: { deleted: true } });
  });

  router.get('/2/tweets/:id', (req, res) => {
    const { user } = authenticateBearer(ctx, req, readScopes);
    spendRateLimit(ctx, res, 'GET /2/tweets/:id', user.id);
    const id = String(req.params.id);
    const post = ctx.state.posts.get(id);
    if (!post || post.deletedAt !== null) {
      // X answers 200 with an errors array for a post that is gone.
      return res.json({
        errors: [
          {
            ...XProblem.notFound(`Could not find tweet with id: [${id}].`).toBody(),
            value: id,
            resource_type: 'tweet',
            parameter: 'id',
            resource_id: id,
          },
        ],
      });
    }
    const fields = requestedFields(req, 'tweet.fields');
    res.json({
      data: {
        id: post.id,
        text: post.text,
        edit_history_tweet_ids: [post.id],
        ...(fields.includes('author_id') ? { author_id: post.authorId } : {}),
        ...(fields.includes('created_at') ? { created_at: new Date(post.createdAt).toISOString() } : {}),
        ...(fields.includes('public_metrics') ? { public_metrics: post.publicMetrics } : {}),
      },
    });
  });

  return router;
}

function requestedFields(req: Request, name: string): string[] {
  const value = req.query[name];
  return typeof value === 'string' ? value.split(',') : [];
}

function userView(ctx: XContext, user: XUser, fields: string[]) {
  const tweetCount = ctx.state.postsBy(user.id).filter((post) => post.deletedAt === null).length;
  return {
    id: user.id,
    name: user.name,
    username: user.username,
    ...(fields.includes('public_metrics')
      ? {
          public_metrics: {
            followers_count: user.followersCount,
            following_count: user.followingCount,
            tweet_count: tweetCount,
            listed_count: 0,
            like_count: 0,
          },
        }
      : {}),
  };
}

/** The same text, ignoring spacing and case, from the same account within the window (X's exact rule is unpublished). */
function isDuplicate(ctx: XContext, userId: string, text: string): boolean {
  const since = ctx.clock.now() - ctx.settings.duplicateWindowHours * 3_600_000;
  const normal = (value: string) => value.trim().replace(/\s+/g, ' ').toLowerCase();
  return ctx.state
    .postsBy(userId)
    .some((post) => post.deletedAt === null && post.createdAt >= since && normal(post.text) === normal(text));
}
