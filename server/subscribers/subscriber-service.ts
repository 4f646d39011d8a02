import { Types, isValidObjectId } from 'mongoose';
import { AudienceChangeModel } from '../../models/audience-change';
import { SubscriberModel, type OptInSource, type SubscriberRecord } from '../../models/subscriber';
import { SuppressionModel, psidHashOf } from '../../models/suppression';
import type { AuditTrail } from '../accounts/audit';
import type { ComplianceTallies } from '../compliance/tallies';
import type { GraphClient } from '../facebook/graph-client';
import type { Clock } from '../platform/clock';
import { publishDomainEvent } from '../platform/domain-events';
import { NotFound } from '../platform/errors';
import type { Logger } from '../platform/logger';
import { windowOpeningInteractions } from '../policy/messaging-windows';
import type { PageAccess } from '../pages/page-access';
import { keywordIntent, type KeywordIntent, type KeywordLists } from './opt-out-words';
import { isDuplicateKey, upsertOnce } from '../platform/database/duplicate-key';
import { findOneAndUpdateDirect } from '../platform/database/direct-update';
import { scopeKey } from '../../webhooks/event-scope';

export type { SubscriberRecord };

/** A person's subscriber on one Page, as live chat left it while handling the current webhook event. */
export const subscriberInScope = (pageId: Id, psid: string) =>
  scopeKey<SubscriberRecord | null>(`subscriber:${String(pageId)}:${psid}`);

/** The Page a subscriber belongs to, as far as this service needs it. */
export interface PageRef {
  /** An ObjectId or its string. */
  _id: Id;
  workspace: Id;
  fbPageId: string;
}

/** An ObjectId, its string, or anything that prints as one (a lean Page document's id). */
export type Id = Types.ObjectId | string | { toString(): string };

export type InteractionKind =
  'message' | 'postback' | 'get_started' | 'quick_reply' | 'referral' | 'optin' | 'reaction' | 'comment';

export interface Interaction {
  kind: InteractionKind;
  at: Date;
  /** The m.me / ad / opt-in `ref`, kept as the opt-in's origin. */
  ref?: string;
}

/** A status change and whether this call made it (so a confirmation is sent once, not per redelivery). */
export interface StatusChange {
  subscriber: SubscriberRecord;
  changed: boolean;
}

export interface SubscriberServiceDeps {
  graph: Pick<GraphClient, 'getUserProfile'>;
  pageAccess: Pick<PageAccess, 'getSendCredentials'>;
  clock: Clock;
  logger: Logger;
  keywords: KeywordLists;
  /** Every consent change (opt-in, opt-out, unreachable) is audited and counted, after it is made. */
  audit: Pick<AuditTrail, 'recordAfter'>;
  tallies: Pick<ComplianceTallies, 'countAfter'>;
}

/** How a person stopped or resumed automated messages: a STOP/START message, or Messenger's own setting. */
export type ConsentWay = 'keyword' | 'messenger_setting';

const optInWords: Record<OptInSource | ConsentWay, string> = {
  message: 'by sending the Page a message',
  postback: 'by tapping a button',
  get_started: 'by tapping Get Started',
  referral: 'through an m.me link or ad',
  optin: 'through a marketing-messages opt-in',
  reaction: 'by reacting to a message',
  comment: 'by answering a private reply to their comment',
  keyword: 'again by sending START',
  messenger_setting: 'again by resuming notification messages in Messenger',
};

const opensWindow = (kind: InteractionKind) =>
  (windowOpeningInteractions as readonly string[]).includes(kind);
const isUserMessage = (kind: InteractionKind) => kind === 'message' || kind === 'quick_reply';
const optInSourceOf = (kind: InteractionKind): OptInSource => (kind === 'quick_reply' ? 'message' : kind);

/** The update that records one interaction: one atomic upsert, so simultaneous first messages make one subscriber. */
function interactionUpdate(page: PageRef, interaction: Interaction) {
  const { kind, at, ref } = interaction;
  return {
    $setOnInsert: {
      workspace: new Types.ObjectId(String(page.workspace)),
      fbPageId: page.fbPageId,
      optIn: { source: optInSourceOf(kind), at, ...(ref ? { ref } : {}) },
      // A comment or marketing opt-in opens no window (Meta policy); the epoch keeps the required clock closed.
      ...(opensWindow(kind) ? {} : { lastInteractionAt: new Date(0) }),
    },
    // $max: a late redelivery of an old event never moves a clock back.
    $max: {
      ...(opensWindow(kind) ? { lastInteractionAt: at } : {}),
      ...(isUserMessage(kind) ? { lastUserMessageAt: at } : {}),
    },
  };
}

export function createSubscriberService(deps: SubscriberServiceDeps) {
  const { clock, logger } = deps;
  const asObjectId = (id: Id) => new Types.ObjectId(String(id));

  /** After the change: the audit entry and the day's count of a consent change. */
  function recordConsent(
    subscriber: Pick<SubscriberRecord, '_id' | 'workspace' | 'page' | 'psid'>,
    change: { measure: 'opt_in' | 'opt_out'; way: string; basis: string },
  ): void {
    const pageId = String(subscriber.page);
    void deps.audit.recordAfter({
      workspaceId: String(subscriber.workspace),
      pageId,
      actor: { kind: 'person', id: subscriber.psid },
      action: change.measure === 'opt_in' ? 'subscriber.opted_in' : 'subscriber.opted_out',
      object: { kind: 'subscriber', id: String(subscriber._id) },
      basis: change.basis,
      details: { way: change.way },
    });
    publishDomainEvent(
      change.measure === 'opt_in' ? 'subscriber.opted_in' : 'subscriber.opted_out',
      String(subscriber.workspace),
      clock.now(),
      { subscriberId: String(subscriber._id), pageId, psid: subscriber.psid, way: change.way },
    );
    deps.tallies.countAfter({
      workspaceId: String(subscriber.workspace),
      pageId,
      measure: change.measure,
      reason: change.way,
      source: 'person',
      description: change.basis,
    });
  }

  const wasErased = async (page: PageRef, psid: string) =>
    (await SuppressionModel.exists({ page: asObjectId(page._id), psidHash: psidHashOf(psid) })) !== null;

  async function upsertInteraction(page: PageRef, psid: string, interaction: Interaction) {
    const filter = { page: asObjectId(page._id), psid };
    const { value, inserted } = await findOneAndUpdateDirect(
      SubscriberModel,
      filter,
      interactionUpdate(page, interaction),
      { upsert: true },
    );
    return { subscriber: value as SubscriberRecord, created: inserted };
  }

  async function setStatus(
    workspaceId: string,
    subscriberId: string,
    from: SubscriberRecord['status'][],
    update: Record<string, unknown>,
  ): Promise<StatusChange> {
    if (!isValidObjectId(subscriberId)) throw new NotFound('No such subscriber.');
    const scope = { _id: asObjectId(subscriberId), workspace: asObjectId(workspaceId) };
    // The status precondition in the filter makes the change happen once, whoever else tries at the same time.
    const changed = await SubscriberModel.findOneAndUpdate({ ...scope, status: { $in: from } }, update, {
      returnDocument: 'after',
    }).lean<SubscriberRecord>();
    if (changed) return { subscriber: changed, changed: true };
    const current = await SubscriberModel.findOne(scope).lean<SubscriberRecord>();
    if (!current) throw new NotFound('No such subscriber.');
    return { subscriber: current, changed: false };
  }

  const service = {
    /**
     * Records that a person did something on a Page; creates the subscriber at their first interaction. `mayBeNew`
     * (the caller has not seen the person lately) reads whether they were erased beside the upsert, not after it.
     */
    async recordInteraction(
      page: PageRef,
      psid: string,
      interaction: Interaction,
      { mayBeNew = false }: { mayBeNew?: boolean } = {},
    ): Promise<{ subscriber: SubscriberRecord; created: boolean }> {
      const [recorded, erasedAlongside] = await Promise.all([
        upsertOnce(() => upsertInteraction(page, psid, interaction)),
        mayBeNew ? wasErased(page, psid) : undefined,
      ]);
      if (recorded.created && (erasedAlongside ?? (await wasErased(page, psid)))) {
        // Erased at their request earlier: back as a person, but opted out until they opt in by their own action.
        const erased = await SubscriberModel.findOneAndUpdate(
          { _id: recorded.subscriber._id },
          {
            $set: {
              status: 'unsubscribed',
              unsubscribed: { at: clock.now(), reason: 'Erased at their request earlier', cause: 'erased' },
            },
          },
          { returnDocument: 'after' },
        ).lean<SubscriberRecord>();
        return { subscriber: erased ?? recorded.subscriber, created: true };
      }
      if (recorded.created) {
        const { source, at } = recorded.subscriber.optIn;
        recordConsent(recorded.subscriber, {
          measure: 'opt_in',
          way: source,
          basis: `The person opted in ${optInWords[source]} at ${at.toISOString()}.`,
        });
      }
      return recorded;
    },

    findByPsid: (pageId: Id, psid: string) =>
      SubscriberModel.findOne({ page: asObjectId(pageId), psid }).lean<SubscriberRecord>(),

    async getSubscriber(workspaceId: string, subscriberId: string): Promise<SubscriberRecord> {
      if (!isValidObjectId(subscriberId)) throw new NotFound('No such subscriber.');
      const found = await SubscriberModel.findOne({
        _id: asObjectId(subscriberId),
        workspace: asObjectId(workspaceId),
      }).lean<SubscriberRecord>();
      if (!found) throw new NotFound('No such subscriber.');
      return found;
    },

    /** Honoured at once; `changed` is true only for the call that made the change. */
    async unsubscribe(workspaceId: string, subscriberId: string, reason: string, way: ConsentWay) {
      await noteAudienceChange(workspaceId, clock.now());
      const change = await setStatus(workspaceId, subscriberId, ['subscribed'], {
        $set: { status: 'unsubscribed', unsubscribed: { at: clock.now(), reason, cause: 'opt_out' } },
      });
      if (change.changed)
        recordConsent(change.subscriber, {
          measure: 'opt_out',
          way,
          basis: `The person opted out: ${reason}. No automated message goes to them until they opt in again.`,
        });
      return change;
    },

    /** START, or a person writing again after a block: reachable again. */
    async resubscribe(workspaceId: string, subscriberId: string, way: ConsentWay) {
      const change = await setStatus(workspaceId, subscriberId, ['unsubscribed', 'blocked'], {
        $set: { status: 'subscribed' },
        $unset: { unsubscribed: 1 },
      });
      if (change.changed)
        recordConsent(change.subscriber, {
          measure: 'opt_in',
          way,
          basis: `The person opted in ${optInWords[way]}.`,
        });
      return change;
    },

    /**
     * The 551 rule ("This person isn't available right now": they blocked the Page or left Messenger), for every
     * send that gets it, live chat's and broadcasts' alike: the subscriber is unsubscribed with the reason and the
     * cause `unreachable`, so no automated message or broadcast goes to them again until they opt back in, and the
     * broadcast estimate counts them as blocked rather than as an opt-out. True when this call made the change.
     */
    async markUnreachable(workspaceId: string, subscriberId: string, reason: string): Promise<boolean> {
      if (!isValidObjectId(subscriberId)) return false;
      const at = clock.now();
      await noteAudienceChange(workspaceId, at);
      const changed = await SubscriberModel.findOneAndUpdate(
        { _id: asObjectId(subscriberId), workspace: asObjectId(workspaceId), status: 'subscribed' },
        { $set: { status: 'unsubscribed', unsubscribed: { at, reason, cause: 'unreachable' } } },
      ).lean<SubscriberRecord>();
      if (!changed) return false;
      void deps.audit.recordAfter({
        workspaceId,
        pageId: String(changed.page),
        actor: { kind: 'meta', id: 'send-api' },
        action: 'subscriber.unreachable',
        object: { kind: 'subscriber', id: subscriberId },
        basis: `Meta answered that this person cannot be reached: ${reason} No automated message goes to them until they opt in again.`,
        details: { psid: changed.psid },
      });
      return true;
    },

    /** Whether a message is a STOP or START keyword, per the configured lists. */
    keywordIntent: (text: string | undefined): KeywordIntent => keywordIntent(text, deps.keywords),

    /**
     * Fetches first/last name and picture once. A failure marks the profile unavailable and is not thrown: a missing
     * name must never hold up a person's message.
     */
    async ensureProfile(page: PageRef, subscriber: SubscriberRecord): Promise<SubscriberRecord> {
      if (subscriber.profile.state !== 'pending') return subscriber;
      const pending = { _id: subscriber._id, 'profile.state': 'pending' as const };
      try {
        const credentials = await deps.pageAccess.getSendCredentials(
          String(page.workspace),
          String(page._id),
        );
        const profile = await deps.graph.getUserProfile(credentials, subscriber.psid, [
          'first_name',
          'last_name',
          'profile_pic',
        ]);
        const firstName = typeof profile.first_name === 'string' ? profile.first_name : undefined;
        const lastName = typeof profile.last_name === 'string' ? profile.last_name : undefined;
        const fields = {
          ...(firstName ? { firstName } : {}),
          ...(lastName ? { lastName } : {}),
          ...(typeof profile.profile_pic === 'string' ? { profilePic: profile.profile_pic } : {}),
          searchName: [firstName, lastName].filter(Boolean).join(' ').toLowerCase(),
          profile: { state: 'fetched' as const, fetchedAt: clock.now() },
        };
        const { value } = await findOneAndUpdateDirect(SubscriberModel, pending, { $set: fields });
        return (value as SubscriberRecord | null) ?? subscriber;
      } catch (error) {
        logger.warn({ err: error, subscriberId: String(subscriber._id) }, 'profile unavailable');
        const { value } = await findOneAndUpdateDirect(SubscriberModel, pending, {
          $set: { profile: { state: 'unavailable' as const, fetchedAt: clock.now() } },
        });
        return (value as SubscriberRecord | null) ?? subscriber;
      }
    },
  };
  return service;
}

export type SubscriberService = ReturnType<typeof createSubscriberService>;

/**
 * Every change that makes a subscriber unreachable passes here first: a broadcast batch read before it reads its
 * people again before sending (models/audience-change.ts).
 */
async function noteAudienceChange(workspaceId: string, at: Date): Promise<void> {
  const note = () => AudienceChangeModel.updateOne({ _id: workspaceId }, { $set: { at } }, { upsert: true });
  // Two first upserts can race to the insert; the loser's retry updates the winner's document.
  await note().catch((error: unknown) => (isDuplicateKey(error) ? note() : Promise.reject(error)));
}

/** The display name of a subscriber, for the inbox. */
export function displayNameOf(subscriber: Pick<SubscriberRecord, 'firstName' | 'lastName' | 'psid'>): string {
  return [subscriber.firstName, subscriber.lastName].filter(Boolean).join(' ') || subscriber.psid;
}
