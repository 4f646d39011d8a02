import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { MessageModel, type MessageKind, type MessageRecord } from '../../models/message';
import type { AuditTrail } from '../accounts/audit';
import { refusalReason, type ComplianceTallies } from '../compliance/tallies';
import type { GraphClient } from '../facebook/graph-client';
import { isGraphError, reasonFor, type GraphOutcome } from '../facebook/graph-outcomes';
import type { MessageTag, SenderAction } from '../facebook/graph-types';
import type { SendGovernor, SendPriority } from '../facebook/send-governor';
import { isAutomationPaused } from '../pages/automation-pause';
import type { PageAccess } from '../pages/page-access';
import type { StoredPage } from '../pages/page-view';
import type { Clock } from '../platform/clock';
import { publishDomainEvent } from '../platform/domain-events';
import type { Logger } from '../platform/logger';
import { consentBasisOf } from '../policy/consent-basis';
import { decideSend, type RefusalCode, type SendDecision, type SendPurpose } from '../policy/send-policy';
import type { PageRef, SubscriberRecord, SubscriberService } from '../subscribers/subscriber-service';
import { silentLiveEvents, type LiveEvents } from './live-events';
import { isPlainText, toOutgoingMessage, type MessageContent } from './message-content';
import { applyToConversation, ensureConversation, recordMessage } from './thread-store';
import { messageView } from './views';

/** Why the message is sent; whether an agent's reply counts as typed by a human is outbound's to say, not the caller's. */
export type OutboundPurpose = Exclude<SendPurpose, { kind: 'agent_reply' }> | { kind: 'agent_reply' };

export interface OutboundRequest {
  workspaceId: string;
  page: PageRef & Pick<StoredPage, 'automationPauses'>;
  subscriber: SubscriberRecord;
  content: MessageContent;
  purpose: OutboundPurpose;
  sender: 'agent' | 'bot' | 'capture';
  agentId?: string;
  priority: SendPriority;
  /** false for sends that are not part of the thread agents read (default true). */
  recordInConversation?: boolean;
  /** What the audit entry of an automated send adds about its cause (the bot's rule, the capture). */
  auditDetails?: Record<string, unknown>;
}

export type OutboundResult =
  | { status: 'sent'; message: MessageRecord | null; messageId: string }
  | { status: 'refused'; code: RefusalCode; reason: string; closedAt?: Date }
  | { status: 'failed'; outcome: GraphOutcome['kind'] | 'internal'; code?: number; reason: string }
  /** Meta took the request but never answered: it may have been delivered, so it is never sent again. */
  | { status: 'unknown'; reason: string };

export interface OutboundDeps {
  graph: Pick<GraphClient, 'sendMessage' | 'sendSenderAction'>;
  governor: Pick<SendGovernor, 'run'>;
  pageAccess: Pick<PageAccess, 'getSendCredentials'>;
  clock: Clock;
  logger: Logger;
  subscribers: Pick<SubscriberService, 'markUnreachable'>;
  audit: Pick<AuditTrail, 'recordAfter'>;
  tallies: Pick<ComplianceTallies, 'countAfter'>;
  events?: LiveEvents;
}

/**
 * The one answer to "was this typed by a human?", which decides whether the HUMAN_AGENT tag may carry it past the
 * 24-hour window: only an agent's plain text is (Meta: the tag is for a human's own words, never automation).
 */
const isTypedByHuman = (request: Pick<OutboundRequest, 'sender' | 'content'>) =>
  request.sender === 'agent' && isPlainText(request.content);

/** The policy input for a request. */
function policyPurposeOf(request: OutboundRequest): SendPurpose {
  const { purpose, sender } = request;
  if (purpose.kind !== 'agent_reply') return purpose;
  // HUMAN_AGENT never rides on automation (Meta policy): a non-agent sender asking as an agent is a programming error.
  if (sender !== 'agent') throw new Error(`A ${sender} send may not use the agent_reply purpose`);
  return { kind: 'agent_reply', humanTyped: isTypedByHuman(request) };
}

/** How the stored Message describes the content: kind, text and attachments for the thread and the inbox preview. */
function describeContent(content: MessageContent): {
  kind: MessageKind;
  text?: string;
  attachments?: { type: string; url?: string }[];
} {
  switch (content.type) {
    case 'text':
      return { kind: 'text', text: content.text };
    case 'buttons':
      return { kind: 'template', text: content.text };
    case 'cards':
      return { kind: 'template' };
    case 'image':
      return { kind: 'attachments', attachments: [{ type: 'image', url: content.url }] };
  }
}

/** The audit action of a sent message; undefined for an agent's reply inside 24 h, which automates nothing. */
function auditActionOf(request: OutboundRequest, decision: Extract<SendDecision, { allowed: true }>) {
  if (request.purpose.kind === 'opt_out_acknowledgement') return 'subscriber.opt_out_confirmed';
  if (request.sender === 'bot') return 'bot.replied';
  if (request.sender === 'capture') return 'capture.follow_up_sent';
  return decision.tag === 'HUMAN_AGENT' ? 'agent.human_agent_reply' : undefined;
}

/**
 * The send path of everything said to one person in their conversation: live chat replies, the bot's answers,
 * capture follow-ups and opt-out acknowledgements. Policy first, then a pending Message in the thread (and live
 * events), then the governor and the Graph client, then the outcome on the Message. The Message id rides along as
 * `metadata` so the echo finds it.
 *
 * Two sends take their own paths, each in front of the same governor and Graph client:
 * - broadcasts (`server/broadcasts/broadcast-sender.ts`): the same `decideSend` answers for each recipient of a
 *   claimed batch, outcomes are written per batch and nothing enters the inbox threads, so a send adds no database
 *   round trip of its own;
 * - a capture's private reply (`bots/comment-capture/capture-replies.ts`): it goes to a `comment_id`, not to a PSID,
 *   before any subscriber or conversation exists, under Meta's own rule (one per comment, within 7 days).
 */
export function createOutbound(deps: OutboundDeps) {
  const { clock, logger } = deps;
  const events = deps.events ?? silentLiveEvents;

  /** After the send and its live events: automated sends and HUMAN_AGENT replies leave an audit entry. */
  function auditSent(
    request: OutboundRequest,
    decision: Extract<SendDecision, { allowed: true }>,
    messageId: string,
  ): void {
    const action = auditActionOf(request, decision);
    if (!action) return;
    const { subscriber } = request;
    void deps.audit.recordAfter({
      workspaceId: request.workspaceId,
      pageId: String(request.page._id),
      actor:
        request.sender === 'agent'
          ? { kind: 'user', id: request.agentId ?? 'unknown' }
          : { kind: 'system', id: request.sender === 'bot' ? 'bot' : 'comment-capture' },
      action,
      object: { kind: 'message', id: messageId },
      basis: consentBasisOf(
        { purpose: request.purpose.kind, messagingType: decision.messagingType, tag: decision.tag },
        {
          lastInteractionAt: subscriber.lastInteractionAt ?? null,
          lastUserMessageAt: subscriber.lastUserMessageAt ?? null,
        },
      ),
      details: {
        subscriberId: String(subscriber._id),
        psid: subscriber.psid,
        messagingType: decision.messagingType,
        ...(decision.tag ? { tag: decision.tag } : {}),
        ...request.auditDetails,
      },
    });
  }

  /** Refused by our policy or by Meta: counted per day for the compliance screen. */
  function countRefusal(request: OutboundRequest, reason: string, description: string): void {
    deps.tallies.countAfter({
      workspaceId: request.workspaceId,
      pageId: String(request.page._id),
      measure: 'refusal',
      reason,
      source: request.sender,
      description,
    });
  }

  async function recordPending(
    request: OutboundRequest,
    delivery: MessageRecord['delivery'],
    id: Types.ObjectId,
  ): Promise<MessageRecord> {
    const now = clock.now();
    const conversation = await ensureConversation(request.page, request.subscriber, now);
    const { message } = await recordMessage(conversation, {
      _id: id,
      workspace: new Types.ObjectId(request.workspaceId),
      page: new Types.ObjectId(String(request.page._id)),
      subscriber: request.subscriber._id,
      direction: 'outbound',
      sender: request.sender,
      agent: request.agentId ? new Types.ObjectId(request.agentId) : null,
      mid: `local:${randomUUID()}`,
      ...describeContent(request.content),
      delivery,
      status: 'pending',
      occurredAt: now,
    });
    events.messageNew(message);
    const updated = await applyToConversation(message);
    if (updated) events.conversationUpdated(updated);
    return message;
  }

  async function settle(
    message: MessageRecord | null,
    update: Partial<MessageRecord>,
  ): Promise<MessageRecord | null> {
    if (!message) return null;
    // Only a pending message changes here: an echo or a delivery receipt may already have moved it further.
    const settled =
      (await MessageModel.findOneAndUpdate(
        { _id: message._id, status: 'pending' },
        { $set: update },
        {
          returnDocument: 'after',
        },
      ).lean<MessageRecord>()) ?? (await MessageModel.findById(message._id).lean<MessageRecord>());
    if (settled) events.messageStatus(settled);
    return settled;
  }

  async function onGraphFailure(request: OutboundRequest, message: MessageRecord | null, error: unknown) {
    if (!isGraphError(error)) {
      await settle(message, {
        status: 'failed',
        failure: { outcome: 'internal', reason: 'The send failed on our side.' },
      });
      throw error;
    }
    const { outcome } = error;
    const reason = reasonFor(outcome);
    if (outcome.kind === 'unknown_outcome') {
      await settle(message, { status: 'unknown', failure: { outcome: outcome.kind, reason } });
      return { status: 'unknown' as const, reason };
    }
    if (outcome.kind === 'user_unavailable') {
      // 551: stop every automated send to this PSID (Meta policy: honour blocks at once).
      await deps.subscribers.markUnreachable(request.workspaceId, String(request.subscriber._id), reason);
    }
    const code = error.code;
    countRefusal(request, refusalReason({ by: 'meta', outcome: outcome.kind, metaCode: code }), reason);
    const failure = {
      outcome: outcome.kind,
      reason,
      ...(code !== undefined ? { code } : {}),
      ...(error.subcode !== undefined ? { subcode: error.subcode } : {}),
    };
    await settle(message, { status: 'failed', failure });
    return {
      status: 'failed' as const,
      outcome: outcome.kind,
      reason,
      ...(code !== undefined ? { code } : {}),
    };
  }

  return {
    async send(request: OutboundRequest): Promise<OutboundResult> {
      const { subscriber, page } = request;
      const decision = decideSend(
        policyPurposeOf(request),
        {
          status: subscriber.status,
          lastInteractionAt: subscriber.lastInteractionAt ?? null,
          lastUserMessageAt: subscriber.lastUserMessageAt ?? null,
        },
        { automatedSendsPaused: isAutomationPaused(page) },
        clock.now(),
      );
      if (!decision.allowed) {
        const { code, reason, closedAt } = decision;
        countRefusal(request, refusalReason({ by: 'policy', code }), reason);
        return { status: 'refused', code, reason, ...(closedAt ? { closedAt } : {}) };
      }
      const delivery = {
        messagingType: decision.messagingType,
        ...(decision.tag ? { tag: decision.tag } : {}),
      };
      const id = new Types.ObjectId();
      const message =
        request.recordInConversation === false ? null : await recordPending(request, delivery, id);
      const log = logger.child({ pageId: String(page._id), messageId: String(id) });
      try {
        const credentials = await deps.pageAccess.getSendCredentials(request.workspaceId, String(page._id));
        const result = await deps.governor.run(page.fbPageId, request.priority, () =>
          deps.graph.sendMessage(credentials, {
            recipient: { id: subscriber.psid },
            messaging_type: decision.messagingType,
            ...(decision.tag ? { tag: decision.tag as MessageTag } : {}),
            message: toOutgoingMessage(request.content, { metadata: String(id) }),
          }),
        );
        const settled = await settle(message, { status: 'sent', mid: result.messageId });
        log.info({ mid: result.messageId, messagingType: decision.messagingType }, 'message sent');
        auditSent(request, decision, result.messageId);
        if (settled) {
          publishDomainEvent('message.sent', request.workspaceId, clock.now(), {
            psid: subscriber.psid,
            message: messageView(settled),
          });
        }
        return { status: 'sent', message: settled, messageId: result.messageId };
      } catch (error) {
        log.warn({ err: error }, 'message not sent');
        return onGraphFailure(request, message, error);
      }
    },

    /** Typing indicators and read marks: nothing is stored, and a failure only reaches the caller. */
    async sendSenderAction(
      workspaceId: string,
      page: Pick<PageRef, '_id' | 'fbPageId'>,
      psid: string,
      action: SenderAction,
    ): Promise<{ delivered: true } | { delivered: false; reason: string }> {
      const credentials = await deps.pageAccess.getSendCredentials(workspaceId, String(page._id));
      try {
        await deps.governor.run(page.fbPageId, 'live', () =>
          deps.graph.sendSenderAction(credentials, psid, action),
        );
        return { delivered: true };
      } catch (error) {
        // "Typing…" and "seen" are courtesies: Meta refusing one is reported, never an error for the agent.
        if (!isGraphError(error)) throw error;
        deps.logger.warn({ err: error, pageId: String(page._id), action }, 'sender action refused');
        return { delivered: false, reason: reasonFor(error.outcome) };
      }
    },
  };
}

export type Outbound = ReturnType<typeof createOutbound>;
