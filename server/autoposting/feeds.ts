import { Types } from 'mongoose';
import { z } from 'zod';
import { AutopostDeliveryModel, type AutopostDeliveryRecord } from '../../models/autopost-delivery';
import {
  AutopostFeedModel,
  autopostTargets,
  type AutopostFeedRecord,
  type AutopostTarget,
} from '../../models/autopost-feed';
import { AutopostItemModel, type AutopostItemRecord } from '../../models/autopost-item';
import { PageModel } from '../../models/page';
import { XStandingConsentModel, type XStandingConsentRecord } from '../../models/x-standing-consent';
import type { AuditTrail } from '../accounts/audit';
import { hiddenPageIds, visiblePagesFilter, type Member } from '../accounts/authorization';
import type { Clock } from '../platform/clock';
import { BadRequest, Conflict, Forbidden, NotFound } from '../platform/errors';
import { refusalOfUrl, type DestinationRules } from '../platform/http/outbound-destinations';
import { objectIdString } from '../platform/ids';
import type { ItemDelivery } from './deliveries';
import type { PollResult } from './poll-feed';
import { nextPollAfter } from './poll-due-feeds-job';
import type { XShareState, XStandingShare } from './x-standing-share';

const targetsSchema = z
  .array(z.enum(autopostTargets))
  .min(1, 'Choose at least one target: page_feed, broadcast or x_share.')
  .max(autopostTargets.length);
const pollEveryMinutesSchema = z.number().int().min(5).max(1_440);

export const feedDraftSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    url: z
      .string()
      .trim()
      .min(1)
      .max(2_000)
      .optional()
      .describe('An RSS, Atom or JSON Feed address to read.'),
    sourcePage: objectIdString
      .optional()
      .describe(
        "Instead of a URL: a connected Page of the workspace whose own new posts are the feed's items.",
      ),
    page: objectIdString.describe('The Page the items are sent on from (its feed, its subscribers).'),
    targets: targetsSchema,
    pollEveryMinutes: pollEveryMinutesSchema.default(15),
  })
  .refine((draft) => (draft.url === undefined) !== (draft.sourcePage === undefined), {
    message: "Give either url (a feed's address) or sourcePage (a Page whose posts are read), not both.",
    path: ['url'],
  });

export const feedChangeSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    targets: targetsSchema.optional(),
    pollEveryMinutes: pollEveryMinutesSchema.optional(),
    active: z.boolean().optional(),
  })
  .refine(
    (change) => Object.keys(change).length > 0,
    'Send at least one of name, targets, pollEveryMinutes, active.',
  );

export const itemsQuerySchema = z.strictObject({
  /** The last item id of the previous page; items are newest first. */
  before: objectIdString.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

/** The words the owner agrees to, shown beside the button and kept on the consent record. */
export const xConsentWording =
  'I allow Pagewire to share each new item of this feed on my X account, without asking me each time, until I revoke this consent.';

export const xConsentSchema = z.strictObject({
  xAccountId: z.string().trim().min(1).max(100),
  /** The owner ticks the box that says `xConsentWording`. */
  agreed: z.literal(true),
});

export interface FeedServiceDeps {
  audit: Pick<AuditTrail, 'recordByMember'>;
  clock: Clock;
  rules: DestinationRules;
  xShare: XStandingShare;
  deliveries: Pick<ItemDelivery, 'reclaim' | 'resume'>;
  poll(feedId: string): Promise<PollResult>;
}

type Tally = Record<string, Record<string, number>>;

/** A Page's own posts published back on its own feed would be read again as new posts: an endless loop. */
function refuseLoop(sourcePage: string | null, page: string, targets: readonly AutopostTarget[]) {
  if (sourcePage !== null && sourcePage === page && targets.includes('page_feed'))
    throw new BadRequest(
      "A Page's own posts cannot be published on that same Page's feed: each would be read back as a new post. Choose another target or another Page.",
      { field: 'targets' },
    );
}

/** Where the feed reads from, as the audit log names it. */
const sourceOf = (feed: AutopostFeedRecord) =>
  feed.sourcePage ? { sourcePageId: String(feed.sourcePage) } : { url: feed.url };

/** `xUsername` is the account's @username as X connections know it now, null if they no longer know it. */
const consentView = (consent: XStandingConsentRecord | undefined, xUsername: string | undefined) =>
  consent
    ? {
        id: String(consent._id),
        xAccountId: consent.xAccountId,
        xUsername: xUsername ?? null,
        grantedBy: String(consent.grantedBy),
        grantedAt: consent.grantedAt.toISOString(),
        wording: consent.wording,
      }
    : null;

function feedView(
  feed: AutopostFeedRecord,
  extras: {
    pageName: string | null;
    sourcePageName: string | null;
    items: number;
    sent: Tally;
    consent: XStandingConsentRecord | undefined;
    xUsername: string | undefined;
  },
) {
  return {
    id: String(feed._id),
    name: feed.name,
    source: feed.source ?? 'feed_url',
    url: feed.url ?? null,
    sourcePage: feed.sourcePage ? { id: String(feed.sourcePage), name: extras.sourcePageName } : null,
    page: { id: String(feed.page), name: extras.pageName },
    targets: feed.targets,
    active: feed.active,
    pollEveryMinutes: feed.pollEveryMinutes,
    nextPollAt: feed.nextPollAt.toISOString(),
    lastPolledAt: feed.lastPolledAt?.toISOString() ?? null,
    lastError: feed.lastError ?? null,
    baselineAt: feed.baselineAt?.toISOString() ?? null,
    itemsSeen: extras.items,
    /** Per target, how many deliveries ended in each status. */
    deliveries: extras.sent,
    xConsent: consentView(extras.consent, extras.xUsername),
    createdAt: feed.createdAt.toISOString(),
  };
}

/** `xShare`: an X share's live status, read from X connections (the delivery keeps what it was when handed over). */
const deliveryView = (delivery: AutopostDeliveryRecord, xShare?: XShareState) => ({
  id: String(delivery._id),
  target: delivery.target,
  status: delivery.status,
  externalId: delivery.externalId ?? null,
  detail: delivery.detail ?? null,
  basis: delivery.basis ?? null,
  at: delivery.at.toISOString(),
  xShare: xShare
    ? {
        id: delivery.xShareId ?? '',
        status: xShare.status,
        reason: xShare.reason,
        xPostId: xShare.xPostId,
        waitingUntil: xShare.waitingUntil?.toISOString() ?? null,
      }
    : null,
});

/**
 * An admin's autoposting feeds, scoped to the admin's workspace and the Pages they may see (another's ids answer
 * 404); standing consent to share on X is given and revoked here, by the account's owner.
 */
export function createFeedService({ audit, clock, rules, xShare, deliveries, poll }: FeedServiceDeps) {
  /** Each delivery's view, in order, an X share's with its live status from X connections (one read for all). */
  async function deliveryViewsOf(workspaceId: string, outcomes: AutopostDeliveryRecord[]) {
    const shares = await xShare.sharesOf(
      workspaceId,
      outcomes.flatMap((delivery) => (delivery.xShareId ? [delivery.xShareId] : [])),
    );
    return outcomes.map((delivery) => deliveryView(delivery, shares.get(delivery.xShareId ?? '')));
  }

  async function visiblePage(member: Member, pageId: string) {
    return PageModel.findOne({ ...visiblePagesFilter(member.workspaceId, member), _id: pageId }).lean();
  }

  /**
   * The member's feeds, as broadcasts scope theirs: the workspace's, less those of a Page hidden from them, whether
   * the feed sends on from it or reads its posts.
   */
  async function scopeOf(member: Member) {
    const hidden = (await hiddenPageIds(member)).map((pageId) => new Types.ObjectId(pageId));
    return {
      workspace: new Types.ObjectId(member.workspaceId),
      ...(hidden.length > 0 ? { page: { $nin: hidden }, sourcePage: { $nin: hidden } } : {}),
    };
  }

  async function feedOf(member: Member, id: string): Promise<AutopostFeedRecord> {
    const feed = await AutopostFeedModel.findOne({
      _id: id,
      ...(await scopeOf(member)),
    }).lean<AutopostFeedRecord>();
    if (!feed) throw new NotFound('No such feed.');
    return feed;
  }

  async function viewsOf(workspaceId: string, feeds: AutopostFeedRecord[]) {
    const ids = feeds.map((feed) => feed._id);
    const [pages, items, deliveries, consents] = await Promise.all([
      PageModel.find(
        {
          _id: {
            $in: feeds.flatMap((feed) => (feed.sourcePage ? [feed.page, feed.sourcePage] : [feed.page])),
          },
        },
        { name: 1 },
      ).lean(),
      AutopostItemModel.aggregate<{ _id: Types.ObjectId; count: number }>([
        { $match: { feed: { $in: ids } } },
        { $group: { _id: '$feed', count: { $sum: 1 } } },
      ]),
      AutopostDeliveryModel.aggregate<{
        _id: { feed: Types.ObjectId; target: string; status: string };
        count: number;
      }>([
        { $match: { feed: { $in: ids } } },
        { $group: { _id: { feed: '$feed', target: '$target', status: '$status' }, count: { $sum: 1 } } },
      ]),
      XStandingConsentModel.find({ feed: { $in: ids }, revokedAt: null }).lean<XStandingConsentRecord[]>(),
    ]);
    const usernames = await xShare.usernamesOf(
      workspaceId,
      consents.map((consent) => consent.xAccountId),
    );
    const pageNames = new Map(pages.map((page) => [String(page._id), page.name]));
    const itemCounts = new Map(items.map((row) => [String(row._id), row.count]));
    const tallies = new Map<string, Tally>();
    for (const { _id, count } of deliveries) {
      const tally = tallies.get(String(_id.feed)) ?? {};
      tally[_id.target] = { ...tally[_id.target], [_id.status]: count };
      tallies.set(String(_id.feed), tally);
    }
    return feeds.map((feed) => {
      const consent = consents.find((live) => String(live.feed) === String(feed._id));
      return feedView(feed, {
        pageName: pageNames.get(String(feed.page)) ?? null,
        sourcePageName: feed.sourcePage ? (pageNames.get(String(feed.sourcePage)) ?? null) : null,
        items: itemCounts.get(String(feed._id)) ?? 0,
        sent: tallies.get(String(feed._id)) ?? {},
        consent,
        xUsername: consent && usernames.get(consent.xAccountId),
      });
    });
  }

  const viewOf = async (feed: AutopostFeedRecord) => (await viewsOf(String(feed.workspace), [feed]))[0]!;

  const audited = (
    member: Member,
    action: string,
    feed: AutopostFeedRecord,
    details?: Record<string, unknown>,
  ) =>
    audit.recordByMember(member, {
      action: `autoposting.${action}`,
      pageId: String(feed.page),
      object: { kind: 'autopost_feed', id: String(feed._id) },
      ...(details ? { details } : {}),
    });

  return {
    async list(member: Member) {
      const feeds = await AutopostFeedModel.find(await scopeOf(member))
        .sort({ _id: 1 })
        .lean<AutopostFeedRecord[]>();
      return { data: await viewsOf(member.workspaceId, feeds), xConsentWording };
    },

    async create(member: Member, draft: z.infer<typeof feedDraftSchema>) {
      if (draft.url !== undefined) {
        const refusal = refusalOfUrl(draft.url, rules);
        if (refusal) throw new BadRequest(refusal, { field: 'url' });
      }
      if (!(await visiblePage(member, draft.page)))
        throw new BadRequest('No such connected Page.', { field: 'page' });
      if (draft.sourcePage !== undefined && !(await visiblePage(member, draft.sourcePage)))
        throw new BadRequest('No such connected Page.', { field: 'sourcePage' });
      refuseLoop(draft.sourcePage ?? null, draft.page, draft.targets);
      const now = clock.now();
      const created = await AutopostFeedModel.create({
        workspace: new Types.ObjectId(member.workspaceId),
        page: new Types.ObjectId(draft.page),
        name: draft.name,
        ...(draft.url !== undefined
          ? { source: 'feed_url', url: new URL(draft.url).toString() }
          : { source: 'page_posts', sourcePage: new Types.ObjectId(draft.sourcePage) }),
        targets: [...new Set(draft.targets)],
        targetsChosenBy: new Types.ObjectId(member.userId),
        targetsChosenAt: now,
        pollEveryMinutes: draft.pollEveryMinutes,
        // Due at once: the first read marks what the feed holds as seen.
        nextPollAt: now,
        createdBy: new Types.ObjectId(member.userId),
      });
      const feed = created.toObject() as AutopostFeedRecord;
      await audited(member, 'feed_created', feed, { ...sourceOf(feed), targets: feed.targets });
      return viewOf(feed);
    },

    async update(member: Member, id: string, change: z.infer<typeof feedChangeSchema>) {
      const feed = await feedOf(member, id);
      const set: Record<string, unknown> = {};
      if (change.name !== undefined) set.name = change.name;
      if (change.pollEveryMinutes !== undefined) set.pollEveryMinutes = change.pollEveryMinutes;
      if (change.active !== undefined) set.active = change.active;
      if (change.targets) {
        refuseLoop(feed.sourcePage ? String(feed.sourcePage) : null, String(feed.page), change.targets);
        set.targets = [...new Set(change.targets)];
        set.targetsChosenBy = new Types.ObjectId(member.userId);
        set.targetsChosenAt = clock.now();
      }
      const updated = await AutopostFeedModel.findOneAndUpdate(
        { _id: feed._id },
        { $set: set },
        { returnDocument: 'after' },
      ).lean<AutopostFeedRecord>();
      if (!updated) throw new NotFound('No such feed.');
      await audited(member, 'feed_changed', updated, change);
      return viewOf(updated);
    },

    /** The feed and what it saw go; its consents stay on record, revoked. */
    async remove(member: Member, id: string) {
      const feed = await feedOf(member, id);
      await XStandingConsentModel.updateMany(
        { feed: feed._id, revokedAt: null },
        { $set: { revokedAt: clock.now(), revokedBy: new Types.ObjectId(member.userId) } },
      );
      await AutopostFeedModel.deleteOne({ _id: feed._id });
      await AutopostItemModel.deleteMany({ feed: feed._id });
      await AutopostDeliveryModel.deleteMany({ feed: feed._id });
      await audited(member, 'feed_removed', feed, sourceOf(feed));
    },

    async pollNow(member: Member, id: string) {
      const feed = await feedOf(member, id);
      if (!feed.active) throw new Conflict('The feed is paused: resume it to read it.');
      // A read now is this period's read: the scheduled one comes a whole interval later, rather than reading again
      // moments after (and finding nothing new the admin has not just been told of).
      await AutopostFeedModel.updateOne(
        { _id: feed._id },
        { $set: { nextPollAt: nextPollAfter(clock.now(), feed) } },
      );
      return poll(String(feed._id));
    },

    /** Newest first, each with what it became on each target. */
    async items(member: Member, id: string, query: z.infer<typeof itemsQuerySchema>) {
      const feed = await feedOf(member, id);
      const items = await AutopostItemModel.find({
        feed: feed._id,
        ...(query.before ? { _id: { $lt: new Types.ObjectId(query.before) } } : {}),
      })
        .sort({ _id: -1 })
        .limit(query.limit)
        .lean<AutopostItemRecord[]>();
      const outcomes = await AutopostDeliveryModel.find({
        item: { $in: items.map((item) => item._id) },
      }).lean<AutopostDeliveryRecord[]>();
      const views = await deliveryViewsOf(member.workspaceId, outcomes);
      return {
        data: items.map((item) => ({
          id: String(item._id),
          key: item.key,
          title: item.title,
          link: item.link ?? null,
          publishedAt: item.publishedAt?.toISOString() ?? null,
          seenAt: item.seenAt.toISOString(),
          baseline: item.baseline,
          deliveries: views.filter((_view, index) => String(outcomes[index]!.item) === String(item._id)),
        })),
      };
    },

    /**
     * An admin's Send again of an interrupted delivery: the choice is audited with who made it, then it is sent
     * once; a second click while it sends, or on one that is not interrupted, is refused.
     */
    async sendAgain(member: Member, deliveryId: string) {
      const delivery = await AutopostDeliveryModel.findOne({
        _id: deliveryId,
        workspace: member.workspaceId,
      }).lean<AutopostDeliveryRecord>();
      if (!delivery) throw new NotFound('No such delivery.');
      const feed = await feedOf(member, String(delivery.feed));
      const claimed = await deliveries.reclaim(feed, deliveryId);
      if (!claimed)
        throw new Conflict(
          `Only an interrupted delivery can be sent again; this one is ${delivery.status === 'interrupted' ? 'being sent again already' : delivery.status}.`,
        );
      await audited(member, 'delivery_sent_again', feed, {
        deliveryId,
        target: claimed.target,
        itemId: String(claimed.item),
        interruption: delivery.detail,
      });
      const settled = await deliveries.resume(feed, claimed, member.userId);
      const [view] = await deliveryViewsOf(member.workspaceId, [settled]);
      return view!;
    },

    /** The X account's owner, and only they, consents; an earlier live consent of the feed is replaced. */
    async grantXConsent(member: Member, id: string, grant: z.infer<typeof xConsentSchema>) {
      const feed = await feedOf(member, id);
      if (!(await xShare.isOwnedBy(member.workspaceId, member.userId, grant.xAccountId)))
        throw new Forbidden('Only the owner of a connected X account may consent to sharing on it.');
      const now = clock.now();
      await XStandingConsentModel.updateMany(
        { feed: feed._id, revokedAt: null },
        { $set: { revokedAt: now, revokedBy: new Types.ObjectId(member.userId) } },
      );
      const consent = await XStandingConsentModel.create({
        workspace: feed.workspace,
        feed: feed._id,
        xAccountId: grant.xAccountId,
        grantedBy: new Types.ObjectId(member.userId),
        grantedAt: now,
        wording: xConsentWording,
      });
      await audited(member, 'x_consent_granted', feed, {
        xAccountId: grant.xAccountId,
        wording: xConsentWording,
      });
      const usernames = await xShare.usernamesOf(member.workspaceId, [grant.xAccountId]);
      return consentView(consent.toObject() as XStandingConsentRecord, usernames.get(grant.xAccountId));
    },

    /** Takes effect at once: every share reads the consent at the moment it would post. */
    async revokeXConsent(member: Member, id: string) {
      const feed = await feedOf(member, id);
      const revoked = await XStandingConsentModel.updateMany(
        { feed: feed._id, revokedAt: null },
        { $set: { revokedAt: clock.now(), revokedBy: new Types.ObjectId(member.userId) } },
      );
      if (revoked.modifiedCount > 0) await audited(member, 'x_consent_revoked', feed);
    },
  };
}

export type FeedService = ReturnType<typeof createFeedService>;
