import { z } from 'zod';
import type { XPostLinkRecord, XPostRecord } from '../../models/x-post';
import { isoInstant } from '../platform/openapi/api-operation';
import type { XPostMetrics } from './x-client';

/** A share to X with what came of it: reach (the follower count when it went) and clicks on its tracked links. */
export interface XPostView {
  id: string;
  accountId: string;
  username: string;
  text: string;
  sentText: string | null;
  status: string;
  reason: string | null;
  scheduledFor: string;
  /** While it waits for X's rate limit (it is `scheduled` again, on the same consent): until when. */
  waitingUntil: string | null;
  /** How often X's rate limit sent it back to wait. */
  rateLimitDeferrals: number;
  postedAt: string | null;
  xPostId: string | null;
  xUrl: string | null;
  reach: number | null;
  clicks: number;
  links: { url: string; clicks: number }[];
  consent: { givenBy: string; givenAt: string; action: string; basis: string };
  /** X's public counts for the post, read when one post's report is asked for; null in lists or when X cannot say. */
  metrics: XPostMetrics | null;
}

/** Until when the post waits for X's rate limit: only while it is scheduled again (a later outcome ends the wait). */
export function waitingUntilOf(post: Pick<XPostRecord, 'status' | 'waitingUntil'>): Date | null {
  return post.status === 'scheduled' ? (post.waitingUntil ?? null) : null;
}

export function toXPostView(
  post: XPostRecord,
  username: string,
  links: XPostLinkRecord[],
  metrics: XPostMetrics | null = null,
): XPostView {
  return {
    id: post._id.toString(),
    accountId: post.account.toString(),
    username,
    text: post.text,
    sentText: post.sentText ?? null,
    status: post.status,
    reason: post.reason ?? null,
    scheduledFor: post.scheduledFor.toISOString(),
    waitingUntil: waitingUntilOf(post)?.toISOString() ?? null,
    rateLimitDeferrals: post.rateLimitDeferrals ?? 0,
    postedAt: post.postedAt?.toISOString() ?? null,
    xPostId: post.xPostId ?? null,
    xUrl: post.xPostId ? `https://x.com/${username}/status/${post.xPostId}` : null,
    reach: post.reach ?? null,
    clicks: links.reduce((sum, link) => sum + link.clicks, 0),
    links: links.map((link) => ({ url: link.url, clicks: link.clicks })),
    consent: {
      givenBy: post.consent.givenBy.toString(),
      givenAt: post.consent.givenAt.toISOString(),
      action: post.consent.action,
      basis: post.consent.basis,
    },
    metrics,
  };
}

export const xPostViewSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  username: z.string(),
  text: z.string(),
  sentText: z.string().nullable(),
  status: z.string(),
  reason: z.string().nullable(),
  scheduledFor: isoInstant,
  waitingUntil: isoInstant
    .nullable()
    .describe("While the post waits for X's rate limit to reset: until when."),
  rateLimitDeferrals: z.number().describe("How often X's rate limit sent the post back to wait."),
  postedAt: isoInstant.nullable(),
  xPostId: z.string().nullable(),
  xUrl: z.string().nullable(),
  reach: z.number().nullable(),
  clicks: z.number(),
  links: z.array(z.object({ url: z.string(), clicks: z.number() })),
  consent: z.object({ givenBy: z.string(), givenAt: isoInstant, action: z.string(), basis: z.string() }),
  metrics: z
    .object({ impressions: z.number(), likes: z.number(), reposts: z.number(), replies: z.number() })
    .nullable(),
});

/** What an account's shares came to, over its whole history. */
export const xAccountReportSchema = z.object({
  accountId: z.string(),
  posted: z.number(),
  scheduled: z.number(),
  refused: z.number(),
  failed: z.number(),
  totalReach: z.number(),
  totalClicks: z.number(),
  lastReach: z.number().nullable(),
});
export type XAccountReport = z.infer<typeof xAccountReportSchema>;
