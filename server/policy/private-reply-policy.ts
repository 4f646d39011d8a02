import { PRIVATE_REPLY_WINDOW_MS } from './messaging-windows';

/**
 * "May this comment get a private reply?" (Messenger Platform policy, private replies): one message per comment (a
 * second gets 10900), within 7 days of the comment, never to the Page's own comment or to another Page (10903), and
 * never to someone who opted out. Pure: callers pass what they know.
 */
export interface CommentFacts {
  verb: string;
  /** `from.id` of the feed event: an app-scoped user id, or a Page id. */
  authorId: string;
  createdAt: Date;
}

export interface PrivateReplyContext {
  fbPageId: string;
  /** Facebook Page ids the product knows (any workspace): their comments are Pages talking, not people. */
  isKnownPage: boolean;
  /** The commenter's status when they are already a subscriber of the Page; null for a stranger. */
  commenterStatus: 'subscribed' | 'unsubscribed' | 'blocked' | null;
  automatedSendsPaused: boolean;
}

export type PrivateReplyRefusal =
  'not_a_new_comment' | 'own_comment' | 'other_page' | 'too_old' | 'opted_out' | 'page_paused';

export type PrivateReplyDecision =
  { allowed: true; expiresAt: Date } | { allowed: false; code: PrivateReplyRefusal; reason: string };

const refuse = (code: PrivateReplyRefusal, reason: string): PrivateReplyDecision => ({
  allowed: false,
  code,
  reason,
});

export function decidePrivateReply(
  comment: CommentFacts,
  context: PrivateReplyContext,
  now: Date,
): PrivateReplyDecision {
  if (comment.verb !== 'add') {
    return refuse('not_a_new_comment', 'Only new comments are answered; edits and removals are not.');
  }
  if (comment.authorId === context.fbPageId) {
    return refuse('own_comment', 'The Page wrote this comment; it never answers itself.');
  }
  if (context.isKnownPage) {
    return refuse('other_page', 'Another Page wrote this comment; private replies go to people only.');
  }
  const expiresAt = new Date(comment.createdAt.getTime() + PRIVATE_REPLY_WINDOW_MS);
  if (now.getTime() >= expiresAt.getTime()) {
    return refuse('too_old', 'The comment is more than 7 days old; Facebook allows no private reply.');
  }
  if (context.commenterStatus === 'unsubscribed' || context.commenterStatus === 'blocked') {
    return refuse('opted_out', 'This person opted out of automated messages.');
  }
  if (context.automatedSendsPaused) {
    return refuse('page_paused', 'Automated messages are paused until a Page admin reconnects the Page.');
  }
  return { allowed: true, expiresAt };
}
