import { z } from 'zod';

/** The fields of a feed `comment` change the capture reads; unknown fields are tolerated. */
const commentChange = z.looseObject({
  item: z.literal('comment'),
  verb: z.string(),
  comment_id: z.string(),
  post_id: z.string(),
  parent_id: z.string().optional(),
  from: z.looseObject({ id: z.string(), name: z.string().optional() }).optional(),
  message: z.string().optional(),
  created_time: z.number().optional(),
});

export interface CommentEvent {
  key: string;
  fbPageId: string;
  verb: string;
  commentId: string;
  postId: string;
  authorId: string;
  authorName: string | null;
  message: string;
  createdAt: Date;
}

/** undefined for a change that is not a readable comment (the capture then has nothing to do). */
export function readCommentEvent(event: {
  key: string;
  fbPageId: string;
  occurredAt: Date;
  payload: Record<string, unknown>;
}): CommentEvent | undefined {
  const parsed = commentChange.safeParse(event.payload);
  if (!parsed.success) return undefined;
  const change = parsed.data;
  return {
    key: event.key,
    fbPageId: event.fbPageId,
    verb: change.verb,
    commentId: change.comment_id,
    postId: change.post_id,
    authorId: change.from?.id ?? 'unknown',
    authorName: change.from?.name ?? null,
    message: change.message ?? '',
    // Feed `created_time` is epoch seconds.
    createdAt: change.created_time ? new Date(change.created_time * 1000) : event.occurredAt,
  };
}
