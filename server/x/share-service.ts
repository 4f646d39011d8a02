import type { Agenda } from 'agenda';
import { Types } from 'mongoose';
import { XAccountModel, type XAccountRecord } from '../../models/x-account';
import { XPostLinkModel, XPostModel, type XPostRecord } from '../../models/x-post';
import type { AuditTrail } from '../accounts/audit';
import type { Member } from '../accounts/authorization';
import type { Clock } from '../platform/clock';
import { BadRequest, Conflict, Forbidden, NotFound, PolicyRefused } from '../platform/errors';
import { xShareBasisOf } from '../policy/consent-basis';
import { visibleXAccountsFilter, type XConnections } from './connections';
import { comparableText, findNearDuplicate } from './duplicate-guard';
import { measurePost, type PostLength } from './post-length';
import { toXPostView, waitingUntilOf, type XAccountReport, type XPostView } from './post-view';
import { withTrackedLinks } from './tracked-links';
import { XCallFailed, type XClient } from './x-client';
import type {
  XShareState,
  XStandingShareOutcome,
  XStandingShareRequest,
} from '../autoposting/x-standing-share';
import { XStandingConsentModel } from '../../models/x-standing-consent';
import { pollDueFeedsJobName } from '../autoposting/poll-due-feeds-job';

export const publishPostJobName = 'x:publish-post';

/** A claim older than this belongs to a process that stopped mid-post: what became of it on X is unknown. */
const abandonedClaimMs = 2 * 60_000;
/** A post waiting for X's rate limit goes this long after the reset X announced, so it lands in the new window. */
const afterResetMs = 1_000;
/** X's windows are 15 minutes: a 429 without `x-rate-limit-reset` waits one window. */
const unannouncedResetMs = 15 * 60_000;

export interface ShareServiceDeps {
  connections: XConnections;
  client: XClient;
  clock: Clock;
  audit: Pick<AuditTrail, 'recordByMember' | 'recordAfter'>;
  agenda(): Agenda;
  publicUrl: string;
  duplicateWindowMs: number;
  /** 0.5–1: how similar to a recent post a share may be before it is refused. */
  duplicateSimilarity: number;
  /** How many times a post X refused for its rate limit waits for the reset before it fails. */
  rateLimitMaxDeferrals: number;
}

export interface ShareRequest {
  text: string;
  /** Absent: share now. */
  scheduledFor?: Date | undefined;
}

export interface CheckAnswer extends PostLength {
  /** Why it would be refused as a duplicate of a recent post, if it would. */
  duplicateReason: string | null;
}

export type ShareService = ReturnType<typeof createShareService>;

/**
 * Share to X: compose, share now or schedule, and publish. A post goes only by its account owner's own action,
 * recorded as its consent; at most once (a claim); never as a near-duplicate of the account's recent posts.
 */
export function createShareService(deps: ShareServiceDeps) {
  const { connections, client, clock, audit } = deps;

  async function duplicateReason(
    accountId: Types.ObjectId,
    text: string,
    excludePostId?: Types.ObjectId,
  ): Promise<string | null> {
    const since = new Date(clock.now().getTime() - deps.duplicateWindowMs);
    const recent = await XPostModel.find({
      account: accountId,
      scheduledFor: { $gte: since },
      status: { $in: ['scheduled', 'posting', 'posted'] },
    })
      .select({ comparableText: 1, text: 1, scheduledFor: 1, status: 1 })
      .lean<XPostRecord[]>();
    const others = recent
      .filter((post) => !excludePostId || !post._id.equals(excludePostId))
      .map((post) => ({ ...post, id: post._id.toString() }));
    const match = findNearDuplicate(comparableText(text), others, deps.duplicateSimilarity);
    if (!match) return null;
    const percent = Math.round(match.similarity * 100);
    const when = match.post.status === 'scheduled' ? 'scheduled for' : 'from';
    return `Too similar (${percent}%) to this account's post ${when} ${match.post.scheduledFor.toISOString()}: “${match.post.text.slice(0, 80)}”. X forbids duplicate or substantially similar posts.`;
  }

  async function viewsOf(posts: XPostRecord[]): Promise<XPostView[]> {
    const accountIds = [...new Set(posts.map((post) => post.account.toString()))];
    const [accounts, links] = await Promise.all([
      XAccountModel.find({ _id: { $in: accountIds } }, { username: 1 }).lean(),
      XPostLinkModel.find({ post: { $in: posts.map((post) => post._id) } }).lean(),
    ]);
    const usernames = new Map(accounts.map((account) => [account._id.toString(), account.username]));
    return posts.map((post) =>
      toXPostView(
        post,
        usernames.get(post.account.toString()) ?? '',
        links.filter((link) => link.post.equals(post._id)),
      ),
    );
  }

  async function settle(postId: Types.ObjectId, change: Record<string, unknown>): Promise<void> {
    await XPostModel.updateOne({ _id: postId, status: 'posting' }, { $set: change });
  }

  /** Agenda's `x:publish-post` for the post at `at` (Agenda runs on the wall clock: the delay is what counts). */
  async function armPublish(postId: Types.ObjectId, at: Date): Promise<void> {
    const delayMs = Math.max(0, at.getTime() - clock.now().getTime());
    await deps.agenda().schedule(new Date(Date.now() + delayMs), publishPostJobName, {
      postId: postId.toString(),
    });
  }

  /**
   * Who acts when the post goes: the owner's own Share now; else a job on the consent the owner gave, autoposting's
   * poll for a standing consent's first try and `x:publish-post` for a schedule or a wait for X's rate limit.
   */
  function actorOf(post: XPostRecord) {
    const deferred = (post.rateLimitDeferrals ?? 0) > 0;
    if (post.consent.action === 'share_now' && !deferred)
      return { kind: 'user' as const, id: post.consent.givenBy.toString() };
    const job =
      post.consent.action === 'standing_consent' && !deferred ? pollDueFeedsJobName : publishPostJobName;
    return { kind: 'job' as const, id: job };
  }

  /**
   * X answered 429: it did not take the post, so trying again is safe. The claimed post goes back to `scheduled`
   * for just after X's reset, on the same consent, a bounded number of times; past that it fails.
   */
  async function waitForRateLimit(post: XPostRecord, resetAt: Date | null): Promise<void> {
    const deferrals = post.rateLimitDeferrals ?? 0;
    const now = clock.now().getTime();
    const until = new Date(Math.max(resetAt?.getTime() ?? now + unannouncedResetMs, now) + afterResetMs);
    if (deferrals >= deps.rateLimitMaxDeferrals) {
      const waited = deferrals === 0 ? '' : `; it already waited for it ${deferrals} times`;
      return settle(post._id, {
        status: 'failed',
        reason: `X's rate limit for this account is used up until ${until.toISOString()}${waited}. It was not posted: share it again later.`,
      });
    }
    const reason = `Waiting for X's rate limit until ${until.toISOString()}: X has not taken it yet, and it goes again then (wait ${deferrals + 1} of at most ${deps.rateLimitMaxDeferrals}).`;
    const waiting = await XPostModel.updateOne(
      { _id: post._id, status: 'posting' },
      { $set: { status: 'scheduled', waitingUntil: until, reason }, $inc: { rateLimitDeferrals: 1 } },
    );
    if (waiting.modifiedCount === 0) return;
    await armPublish(post._id, until);
    await audit.recordAfter({
      workspaceId: post.workspace.toString(),
      actor: actorOf(post),
      action: 'x-post.waiting-for-rate-limit',
      object: { kind: 'x-post', id: post._id.toString() },
      basis: post.consent.basis,
      details: { until: until.toISOString(), wait: deferrals + 1 },
    });
  }

  /** Claims the post (scheduled → posting) and puts it on X; a post claimed by someone else is left alone. */
  async function publish(postId: Types.ObjectId): Promise<void> {
    const post = await XPostModel.findOneAndUpdate(
      { _id: postId, status: 'scheduled' },
      { $set: { status: 'posting', claimedAt: clock.now() } },
      { returnDocument: 'after' },
    ).lean<XPostRecord>();
    if (!post) return;
    const refuse = (status: 'refused' | 'failed', reason: string) => settle(post._id, { status, reason });
    const duplicate = await duplicateReason(post.account, post.text, post._id);
    if (duplicate) return refuse('refused', duplicate);
    let accessToken: string;
    try {
      accessToken = await connections.accessTokenFor(post.account);
    } catch (error) {
      return refuse('failed', error instanceof Error ? error.message : String(error));
    }
    try {
      const sentText = await withTrackedLinks(post, deps.publicUrl);
      // The reach is the follower count at the moment of posting: read just before, a number only.
      const { followersCount } = await client.me(accessToken);
      const created = await client.createPost(accessToken, sentText);
      await settle(post._id, {
        status: 'posted',
        xPostId: created.id,
        sentText,
        postedAt: clock.now(),
        reach: followersCount,
        reason: null,
      });
      await audit.recordAfter({
        workspaceId: post.workspace.toString(),
        actor: actorOf(post),
        action: 'x-post.posted',
        object: { kind: 'x-post', id: post._id.toString() },
        basis: post.consent.basis,
        details: { xPostId: created.id, reach: followersCount },
      });
    } catch (error) {
      if (!(error instanceof XCallFailed)) throw error;
      if (error.kind === 'unauthorized') {
        await connections.markNeedsReconnect(post.account, `X refused the token: ${error.detail}`);
        return refuse('failed', 'X no longer accepts this connection: reconnect the account.');
      }
      if (error.kind === 'duplicate') return refuse('refused', `X refused it: ${error.detail}`);
      if (error.kind === 'rate_limited') return waitForRateLimit(post, error.resetAt);
      // No answer or a 5xx: X may have taken it, so it is never sent again on its own.
      return refuse(
        'failed',
        `X did not confirm the post (${error.detail}); check the account on X before sharing again.`,
      );
    }
  }

  /** A feed item's text and link, the text shortened (never the link) until X's length rule takes it. */
  function fitToPost(text: string, link: string | null): string {
    const compose = (body: string) => [body, link].filter(Boolean).join(' ');
    let body = text.trim();
    for (let over = measurePost(compose(body)).weightedLength - 280; over > 0 && body.length > 0;) {
      body = `${body.slice(0, Math.max(0, body.length - over - 1)).trimEnd()}…`;
      over = measurePost(compose(body)).weightedLength - 280;
    }
    return compose(body);
  }

  return {
    publish,

    /**
     * Autoposting's share, on the owner's standing consent (read again here: a revoked one posts nothing): the same
     * post, claim, duplicate guard, tracked links and wait for X's rate limit as the owner's own Share now. Answers
     * the share as it stands (posted, or waiting for X's rate limit), or throws with the reason it did not go.
     */
    async shareByStandingConsent(request: XStandingShareRequest): Promise<XStandingShareOutcome> {
      const consent = Types.ObjectId.isValid(request.consentId)
        ? await XStandingConsentModel.findOne({ _id: request.consentId, revokedAt: null }).lean()
        : null;
      if (!consent || consent.xAccountId !== request.xAccountId)
        throw new Forbidden('The standing consent is gone: it was revoked.');
      const account = Types.ObjectId.isValid(request.xAccountId)
        ? await XAccountModel.findOne({ _id: request.xAccountId, workspace: request.workspaceId }).lean()
        : null;
      if (!account || !account.owner.equals(request.ownerUserId))
        throw new Forbidden('Only the owner of the X account may consent to sharing on it.');
      if (account.status !== 'connected')
        throw new Conflict(`@${account.username} is not connected: its owner must reconnect it.`);
      const text = fitToPost(request.text, request.link);
      const duplicate = await duplicateReason(account._id, text);
      if (duplicate) throw new PolicyRefused(duplicate, { reason: duplicate });
      const now = clock.now();
      const post = await XPostModel.create({
        workspace: account.workspace,
        account: account._id,
        text,
        comparableText: comparableText(text),
        status: 'scheduled',
        scheduledFor: now,
        consent: {
          givenBy: consent.grantedBy,
          givenAt: consent.grantedAt,
          action: 'standing_consent',
          standingConsent: consent._id,
          basis: `The owner of @${account.username} gave standing consent at ${consent.grantedAt.toISOString()} to share a feed's new items (“${consent.wording}”); not revoked.`,
        },
      });
      await publish(post._id);
      const settled = await XPostModel.findById(post._id).lean<XPostRecord>();
      const shareId = post._id.toString();
      if (settled?.status === 'posted' && settled.xPostId)
        return { shareId, username: account.username, xPostId: settled.xPostId, waitingUntil: null };
      const waitingUntil = settled ? waitingUntilOf(settled) : null;
      if (waitingUntil) return { shareId, username: account.username, xPostId: null, waitingUntil };
      throw new Conflict(settled?.reason ?? 'X did not take the post.');
    },

    /** These shares of the workspace as they stand now, by Pagewire's id; an unknown id is left out. */
    async sharesOf(workspaceId: string, shareIds: string[]): Promise<Map<string, XShareState>> {
      const ids = shareIds.filter((id) => Types.ObjectId.isValid(id));
      if (ids.length === 0) return new Map();
      const posts = await XPostModel.find({ _id: { $in: ids }, workspace: workspaceId })
        .select({ status: 1, reason: 1, xPostId: 1, waitingUntil: 1 })
        .lean<XPostRecord[]>();
      return new Map(
        posts.map((post) => [
          post._id.toString(),
          {
            status: post.status,
            reason: post.reason ?? null,
            xPostId: post.xPostId ?? null,
            waitingUntil: waitingUntilOf(post),
          },
        ]),
      );
    },

    /** Whether this workspace member owns that connected X account (only the owner may give standing consent). */
    async isOwnedBy(workspaceId: string, userId: string, xAccountId: string): Promise<boolean> {
      if (!Types.ObjectId.isValid(xAccountId) || !Types.ObjectId.isValid(userId)) return false;
      const owned = await XAccountModel.exists({ _id: xAccountId, workspace: workspaceId, owner: userId });
      return owned !== null;
    },

    async usernamesOf(workspaceId: string, xAccountIds: string[]): Promise<Map<string, string>> {
      const ids = xAccountIds.filter((id) => Types.ObjectId.isValid(id));
      if (ids.length === 0) return new Map();
      const accounts = await XAccountModel.find({ _id: { $in: ids }, workspace: workspaceId })
        .select({ username: 1 })
        .lean();
      return new Map(accounts.map((account) => [String(account._id), account.username]));
    },

    async check(member: Member, accountId: string | undefined, text: string): Promise<CheckAnswer> {
      const length = measurePost(text);
      if (!accountId) return { ...length, duplicateReason: null };
      const account = await connections.findVisible(member, accountId);
      return { ...length, duplicateReason: await duplicateReason(account._id, text) };
    },

    /** The owner's Share now or Schedule: the action is the consent, recorded on the post. */
    async share(member: Member, accountId: string, request: ShareRequest): Promise<XPostView> {
      const account = await connections.findVisible(member, accountId);
      if (member.apiKeyId || !account.owner.equals(member.userId)) {
        throw new Forbidden(`Only the member who connected @${account.username} may share through it.`);
      }
      if (account.status !== 'connected')
        throw new Conflict(`@${account.username} is not connected: reconnect it.`);
      const length = measurePost(request.text);
      if (!length.isValid) {
        throw new BadRequest(
          length.weightedLength === 0
            ? 'Write something to share.'
            : `X allows ${length.maxLength} characters as it counts them; this is ${length.weightedLength}.`,
        );
      }
      const now = clock.now();
      if (request.scheduledFor && request.scheduledFor.getTime() < now.getTime()) {
        throw new BadRequest('Choose a time in the future to schedule, or share now.');
      }
      const duplicate = await duplicateReason(account._id, request.text);
      if (duplicate) throw new PolicyRefused(duplicate, { reason: duplicate });
      const action = request.scheduledFor ? 'schedule' : 'share_now';
      const scheduledFor = request.scheduledFor ?? now;
      const basis = xShareBasisOf({ action, username: account.username, givenAt: now, scheduledFor });
      const post = await XPostModel.create({
        workspace: account.workspace,
        account: account._id,
        text: request.text,
        comparableText: comparableText(request.text),
        status: 'scheduled',
        scheduledFor,
        consent: { givenBy: new Types.ObjectId(member.userId), givenAt: now, action, basis },
      });
      await audit.recordByMember(member, {
        action: action === 'share_now' ? 'x-post.shared' : 'x-post.scheduled',
        object: { kind: 'x-post', id: post._id.toString() },
        basis,
        details: { account: `@${account.username}` },
      });
      if (action === 'share_now') await publish(post._id);
      else await armPublish(post._id, scheduledFor);
      return this.get(member, post._id.toString());
    },

    async cancel(member: Member, postId: string): Promise<XPostView> {
      const post = await this.find(member, postId);
      const account = await connections.findVisible(member, post.account.toString());
      if (!account.owner.equals(member.userId)) {
        throw new Forbidden(`Only the member who connected @${account.username} may cancel its posts.`);
      }
      const cancelled = await XPostModel.updateOne(
        { _id: post._id, status: 'scheduled' },
        { $set: { status: 'cancelled', reason: 'Cancelled by the owner before it went.' } },
      );
      if (cancelled.modifiedCount === 0) throw new Conflict('Only a scheduled post can be cancelled.');
      await audit.recordByMember(member, {
        action: 'x-post.cancelled',
        object: { kind: 'x-post', id: postId },
      });
      return this.get(member, postId);
    },

    async find(member: Member, postId: string): Promise<XPostRecord> {
      if (!Types.ObjectId.isValid(postId)) throw new NotFound('No such post.');
      const post = await XPostModel.findOne({
        _id: postId,
        workspace: member.workspaceId,
      }).lean<XPostRecord>();
      if (!post) throw new NotFound('No such post.');
      await connections.findVisible(member, post.account.toString());
      return post;
    },

    async get(member: Member, postId: string): Promise<XPostView> {
      const [view] = await viewsOf([await this.find(member, postId)]);
      if (!view) throw new NotFound('No such post.');
      return view;
    },

    /** One post's report: its view with X's public counts, read now; without them if X cannot answer. */
    async report(member: Member, postId: string): Promise<XPostView> {
      const view = await this.get(member, postId);
      if (!view.xPostId) return view;
      try {
        const token = await connections.accessTokenFor(new Types.ObjectId(view.accountId));
        return { ...view, metrics: await client.postMetrics(token, view.xPostId) };
      } catch (error) {
        if (error instanceof XCallFailed || error instanceof Conflict) return view;
        throw error;
      }
    },

    /** The share history of the accounts the member sees, newest first; one account's with `accountId`. */
    async list(member: Member, accountId?: string): Promise<XPostView[]> {
      const accounts = accountId
        ? [await connections.findVisible(member, accountId)]
        : await XAccountModel.find(visibleXAccountsFilter(member), { _id: 1 }).lean<XAccountRecord[]>();
      const posts = await XPostModel.find({ account: { $in: accounts.map((account) => account._id) } })
        .sort({ scheduledFor: -1 })
        .limit(200)
        .lean<XPostRecord[]>();
      return viewsOf(posts);
    },

    async accountReport(member: Member, accountId: string): Promise<XAccountReport> {
      const account = await connections.findVisible(member, accountId);
      const posts = await XPostModel.find({ account: account._id })
        .select({ status: 1, reach: 1, postedAt: 1 })
        .lean<XPostRecord[]>();
      const links = await XPostLinkModel.find({ post: { $in: posts.map((post) => post._id) } }).lean();
      const posted = posts.filter((post) => post.status === 'posted');
      const latest = posted.reduce<XPostRecord | null>(
        (last, post) => (!last || (post.postedAt ?? 0) > (last.postedAt ?? 0) ? post : last),
        null,
      );
      return {
        accountId,
        posted: posted.length,
        scheduled: posts.filter((post) => post.status === 'scheduled').length,
        refused: posts.filter((post) => post.status === 'refused').length,
        failed: posts.filter((post) => post.status === 'failed').length,
        totalReach: posted.reduce((sum, post) => sum + (post.reach ?? 0), 0),
        totalClicks: links.reduce((sum, link) => sum + link.clicks, 0),
        lastReach: latest?.reach ?? null,
      };
    },

    /**
     * At start: a claim left by a stopped process ends as failed, never as a second post; a post whose time passed
     * is armed again (at the end of its wait for X's rate limit, if it waits), in case its process stopped before
     * arming its job. A second job for a post is harmless: the claim lets one of them post it.
     */
    async recoverAtStart(): Promise<void> {
      const before = new Date(clock.now().getTime() - abandonedClaimMs);
      const overdue = await XPostModel.find(
        { status: 'scheduled', scheduledFor: { $lt: before } },
        { _id: 1, waitingUntil: 1 },
      ).lean<XPostRecord[]>();
      for (const post of overdue) await armPublish(post._id, post.waitingUntil ?? clock.now());
      const stuck = await XPostModel.find(
        { status: 'posting', claimedAt: { $lt: before } },
        { _id: 1 },
      ).lean();
      for (const post of stuck) {
        await settle(post._id, {
          status: 'failed',
          reason: 'Pagewire stopped while posting; check the account on X before sharing it again.',
        });
      }
    },
  };
}
