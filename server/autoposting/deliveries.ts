import type { AutopostFeedRecord, AutopostTarget } from '../../models/autopost-feed';
import {
  AutopostDeliveryModel,
  type AutopostDeliveryRecord,
  type AutopostDeliveryStatus,
} from '../../models/autopost-delivery';
import { AutopostItemModel, type AutopostItemRecord } from '../../models/autopost-item';
import { PageModel } from '../../models/page';
import { XStandingConsentModel } from '../../models/x-standing-consent';
import type { AuditTrail } from '../accounts/audit';
import type { BroadcastService } from '../broadcasts/service';
import type { GraphClient } from '../facebook/graph-client';
import type { PageAccess } from '../pages/page-access';
import type { Clock } from '../platform/clock';
import { isDuplicateKey } from '../platform/database/duplicate-key';
import type { Logger } from '../platform/logger';
import {
  autopostBroadcastBasisOf,
  autopostPagePostBasisOf,
  xStandingConsentBasisOf,
} from '../policy/consent-basis';
import type { FeedEntry } from './feed-reader';
import { within } from './within';
import type { XStandingShare } from './x-standing-share';

export interface DeliveryDeps {
  graph: Pick<GraphClient, 'publishPost'>;
  pageAccess: Pick<PageAccess, 'getSendCredentials' | 'isSendingAllowed'>;
  broadcasts: Pick<BroadcastService, 'startAutomated'>;
  xShare: XStandingShare;
  audit: Pick<AuditTrail, 'recordAfter'>;
  clock: Clock;
  logger: Logger;
  /** A delivery `sending` for longer than this was left by a process that stopped. */
  abandonedSendMs: number;
}

interface Outcome {
  status: Exclude<AutopostDeliveryStatus, 'sending' | 'interrupted'>;
  externalId?: string;
  xShareId?: string;
  detail?: string;
  /** The consent basis of a send that went, as the audit log keeps it. */
  basis?: string;
}

const auditActions: Record<AutopostTarget, string> = {
  page_feed: 'autoposting.page_post',
  broadcast: 'autoposting.broadcast',
  x_share: 'autoposting.x_share',
};

/** Where an admin looks to see whether an interrupted send went out. */
const whereItShows: Record<AutopostTarget, string> = {
  page_feed: "the Page's feed",
  broadcast: "the Page's broadcasts",
  x_share: 'the X account',
};

/** An item as a feed entry, for sending it again after the read that found it. */
export function entryOf(item: AutopostItemRecord): FeedEntry {
  return {
    key: item.key,
    title: item.title,
    link: item.link ?? null,
    summary: item.summary,
    publishedAt: item.publishedAt ?? null,
  };
}

/**
 * Sends one new feed item to each of its feed's targets. Each target is claimed first by a unique insert (item,
 * target), so a poll that runs again, or two at once, sends it there once; the item was already claimed by the
 * poll that first inserted it.
 */
export function createItemDelivery(deps: DeliveryDeps) {
  async function pageFeed(feed: AutopostFeedRecord, entry: FeedEntry): Promise<Outcome> {
    const page = await PageModel.findOne({ _id: feed.page, workspace: feed.workspace }).lean();
    if (!page || !deps.pageAccess.isSendingAllowed(page))
      return { status: 'skipped', detail: 'The Page is disconnected or its automated sends are paused.' };
    const credentials = await deps.pageAccess.getSendCredentials(String(feed.workspace), String(feed.page));
    const message = [entry.title, entry.summary].filter(Boolean).join('\n\n') || entry.link || entry.key;
    const { id } = await deps.graph.publishPost(credentials, {
      message: within(message, 5_000),
      ...(entry.link ? { link: entry.link } : {}),
    });
    return {
      status: 'sent',
      externalId: id,
      basis: autopostPagePostBasisOf(feed.name, feed.targetsChosenAt),
    };
  }

  async function broadcast(feed: AutopostFeedRecord, entry: FeedEntry): Promise<Outcome> {
    const text = within([entry.title, entry.link].filter(Boolean).join('\n') || entry.key, 1_999);
    const broadcastId = await deps.broadcasts.startAutomated(String(feed.workspace), String(feed.page), {
      name: within(`Autopost: ${entry.title || feed.name}`, 200),
      content: { type: 'text', text },
      createdBy: String(feed.targetsChosenBy),
    });
    return {
      status: 'sent',
      externalId: broadcastId,
      detail: 'A promotional broadcast: only people inside their 24-hour window receive it.',
      basis: autopostBroadcastBasisOf(feed.name),
    };
  }

  async function xShare(feed: AutopostFeedRecord, entry: FeedEntry): Promise<Outcome> {
    // Read now, not when the poll began: a revocation stops the very next share.
    const consent = await XStandingConsentModel.findOne({ feed: feed._id, revokedAt: null })
      .sort({ grantedAt: -1 })
      .lean();
    if (!consent)
      return {
        status: 'skipped',
        detail: "No standing consent of the X account's owner: never given or revoked.",
      };
    const text = entry.title || entry.summary;
    if (!text && !entry.link)
      return { status: 'skipped', detail: 'Nothing to share on X: the item has no title, text or link.' };
    const share = await deps.xShare.post({
      workspaceId: String(feed.workspace),
      xAccountId: consent.xAccountId,
      ownerUserId: String(consent.grantedBy),
      consentId: String(consent._id),
      text,
      link: entry.link,
    });
    const basis = xStandingConsentBasisOf(
      {
        xAccountId: consent.xAccountId,
        xUsername: share.username,
        grantedBy: String(consent.grantedBy),
        grantedAt: consent.grantedAt,
      },
      feed.name,
    );
    if (share.xPostId) return { status: 'sent', externalId: share.xPostId, xShareId: share.shareId, basis };
    return {
      status: 'accepted',
      xShareId: share.shareId,
      detail: `X's rate limit is used up: the share waits until ${share.waitingUntil?.toISOString() ?? 'it resets'} and then goes, or fails, on its own.`,
      basis,
    };
  }

  const attempts: Record<AutopostTarget, (feed: AutopostFeedRecord, entry: FeedEntry) => Promise<Outcome>> = {
    page_feed: pageFeed,
    broadcast,
    x_share: xShare,
  };

  async function deliverTo(
    feed: AutopostFeedRecord,
    item: AutopostItemRecord,
    entry: FeedEntry,
    target: AutopostTarget,
  ) {
    let claim;
    try {
      claim = await AutopostDeliveryModel.create({
        workspace: feed.workspace,
        feed: feed._id,
        item: item._id,
        target,
        status: 'sending',
        at: deps.clock.now(),
      });
    } catch (error) {
      if (isDuplicateKey(error)) return;
      throw error;
    }
    await attempt(feed, item, entry, target, claim._id);
  }

  /** Sends to the claimed target and records what came of it; `chosenBy` is the admin who chose to send again. */
  async function attempt(
    feed: AutopostFeedRecord,
    item: AutopostItemRecord,
    entry: FeedEntry,
    target: AutopostTarget,
    claimId: AutopostDeliveryRecord['_id'],
    chosenBy?: string,
  ): Promise<void> {
    let outcome: Outcome;
    try {
      outcome = await attempts[target](feed, entry);
    } catch (error) {
      outcome = { status: 'failed', detail: (error as Error).message.slice(0, 300) };
      deps.logger.warn({ err: error, feedId: String(feed._id), target }, 'autopost delivery failed');
    }
    await AutopostDeliveryModel.updateOne(
      { _id: claimId },
      {
        $set: {
          status: outcome.status,
          externalId: outcome.externalId ?? null,
          xShareId: outcome.xShareId ?? null,
          detail: outcome.detail ?? null,
          basis: outcome.basis ?? null,
          at: deps.clock.now(),
        },
      },
    );
    // An accepted X share is audited by X connections when it goes (or waits, or fails).
    if (outcome.status === 'sent') {
      await deps.audit.recordAfter({
        workspaceId: String(feed.workspace),
        pageId: String(feed.page),
        actor: { kind: 'system', id: 'autoposting' },
        action: auditActions[target],
        object: { kind: 'autopost_item', id: String(item._id) },
        basis: outcome.basis ?? '',
        details: {
          feedId: String(feed._id),
          feed: feed.name,
          title: entry.title,
          link: entry.link,
          externalId: outcome.externalId,
          ...(outcome.xShareId ? { xShareId: outcome.xShareId } : {}),
          ...(chosenBy ? { sentAgainBy: chosenBy } : {}),
        },
      });
    }
  }

  return {
    async deliverItem(feed: AutopostFeedRecord, item: AutopostItemRecord, entry: FeedEntry) {
      for (const target of feed.targets) await deliverTo(feed, item, entry, target);
      await AutopostItemModel.updateOne(
        { _id: item._id, settledAt: null },
        { $set: { settledAt: deps.clock.now() } },
      );
    },

    /**
     * A delivery still `sending` long after its claim was left by a process that stopped: it becomes `interrupted`,
     * never sent again on its own, since the Page post, broadcast or X post may have gone out already.
     */
    async markInterrupted(): Promise<void> {
      const before = new Date(deps.clock.now().getTime() - deps.abandonedSendMs);
      const stuck = await AutopostDeliveryModel.find(
        { status: 'sending', at: { $lt: before } },
        { _id: 1, target: 1 },
      ).lean<AutopostDeliveryRecord[]>();
      for (const delivery of stuck) {
        await AutopostDeliveryModel.updateOne(
          { _id: delivery._id, status: 'sending' },
          {
            $set: {
              status: 'interrupted',
              detail: `Pagewire stopped while sending this, so it may or may not have gone out: check ${whereItShows[delivery.target]} before choosing Send again.`,
              at: deps.clock.now(),
            },
          },
        );
      }
      if (stuck.length > 0) deps.logger.warn({ count: stuck.length }, 'autopost deliveries interrupted');
    },

    /**
     * The claim of an admin's Send again: interrupted → sending in one conditional update, so of two clicks at once
     * one gets it; null if the delivery is not interrupted (any more).
     */
    async reclaim(feed: AutopostFeedRecord, deliveryId: string): Promise<AutopostDeliveryRecord | null> {
      return AutopostDeliveryModel.findOneAndUpdate(
        { _id: deliveryId, feed: feed._id, status: 'interrupted' },
        { $set: { status: 'sending', at: deps.clock.now() } },
        { returnDocument: 'after' },
      ).lean<AutopostDeliveryRecord>();
    },

    /** Sends a reclaimed delivery once, as the poll would have, and answers what came of it. */
    async resume(
      feed: AutopostFeedRecord,
      claimed: AutopostDeliveryRecord,
      chosenBy: string,
    ): Promise<AutopostDeliveryRecord> {
      const item = await AutopostItemModel.findById(claimed.item).lean<AutopostItemRecord>();
      if (item) await attempt(feed, item, entryOf(item), claimed.target, claimed._id, chosenBy);
      else
        await AutopostDeliveryModel.updateOne(
          { _id: claimed._id },
          { $set: { status: 'failed', detail: 'The item is gone.', at: deps.clock.now() } },
        );
      return (await AutopostDeliveryModel.findById(claimed._id).lean<AutopostDeliveryRecord>()) ?? claimed;
    },
  };
}

export type ItemDelivery = ReturnType<typeof createItemDelivery>;
