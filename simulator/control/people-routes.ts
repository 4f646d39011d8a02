import { Router } from 'express';
import type { SimContext } from '../context';
import { addComment, commentOf, editComment, removeComment } from '../feed';
import { threadOf } from '../people/lookup';
import {
  personOpensLink,
  personReacts,
  personSendsMessage,
  personTapsGetStarted,
  personTapsPostback,
} from '../people/messages';
import { personOptsIn } from '../people/optins';
import { personSetsBlocked } from '../people/page-events';
import { emitDelivery, emitRead } from '../people/receipts';
import { controlRoute, parse } from './route-helpers';
import {
  commentSchema,
  editCommentSchema,
  optinSchema,
  pageOnlySchema,
  personMessageSchema,
  postbackSchema,
  reactionSchema,
  receiptSchema,
  referralSchema,
} from './schemas';

type PersonParams = { personId: string };

/** Acting as a Messenger user: each action becomes the webhook Meta would send. */
export function peopleControlRoutes(ctx: SimContext): Router {
  const router = Router();
  const person = (path: string, act: (personId: string, body: unknown) => unknown) =>
    router.post(
      `/people/:personId/${path}`,
      controlRoute<PersonParams>((req) => act(req.params.personId, req.body)),
    );

  person('messages', (personId, body) => {
    const { pageId, ...message } = parse(personMessageSchema, body);
    return personSendsMessage(ctx, personId, pageId, message);
  });
  person('postbacks', (personId, body) => {
    const { pageId, ...postback } = parse(postbackSchema, body);
    return personTapsPostback(ctx, personId, pageId, postback);
  });
  person('get-started', (personId, body) =>
    personTapsGetStarted(ctx, personId, parse(pageOnlySchema, body).pageId),
  );
  person('reactions', (personId, body) => {
    const { pageId, ...reaction } = parse(reactionSchema, body);
    return personReacts(ctx, personId, pageId, reaction);
  });
  person('referrals', (personId, body) => {
    const { pageId, ...referral } = parse(referralSchema, body);
    return personOpensLink(ctx, personId, pageId, referral);
  });
  person('optins', (personId, body) => {
    const { pageId, optin } = parse(optinSchema, body);
    return personOptsIn(ctx, personId, pageId, optin);
  });
  person('block', (personId, body) =>
    personSetsBlocked(ctx, personId, parse(pageOnlySchema, body).pageId, true),
  );
  person('unblock', (personId, body) =>
    personSetsBlocked(ctx, personId, parse(pageOnlySchema, body).pageId, false),
  );
  person('deliveries', (personId, body) => {
    const { pageId, mids, watermark } = parse(receiptSchema, body);
    return { watermark: emitDelivery(ctx, threadOf(ctx, personId, pageId), mids, watermark) };
  });
  person('reads', (personId, body) => {
    const { pageId, watermark } = parse(receiptSchema, body);
    return { watermark: emitRead(ctx, threadOf(ctx, personId, pageId), watermark) };
  });
  person('comments', (personId, body) => {
    const { postId, message } = parse(commentSchema, body);
    const comment = addComment(ctx, postId, { kind: 'person', personId }, message);
    return {
      commentId: comment.id,
      postId: comment.postId,
      parentId: comment.parentId,
      fromId: comment.fromId,
    };
  });

  router.patch(
    '/comments/:commentId',
    controlRoute<{ commentId: string }>((req) => {
      editComment(ctx, commentOf(ctx, req.params.commentId), parse(editCommentSchema, req.body).message);
    }),
  );
  router.delete(
    '/comments/:commentId',
    controlRoute<{ commentId: string }>((req) => {
      removeComment(ctx, commentOf(ctx, req.params.commentId));
    }),
  );
  return router;
}
