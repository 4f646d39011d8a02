import { randomUUID } from 'node:crypto';
import { Types, isValidObjectId } from 'mongoose';
import { ConversationModel, type ConversationRecord } from '../../models/conversation';
import { MessageModel, type MessageRecord } from '../../models/message';
import type { Member } from '../accounts/authorization';
import type { SenderAction } from '../facebook/graph-types';
import type { LiveEvents } from '../messaging/live-events';
import { fromAgentContent, type AgentContent } from '../messaging/message-content';
import type { Outbound } from '../messaging/outbound';
import { applyToConversation, recordMessage } from '../messaging/thread-store';
import { conversationView } from '../messaging/views';
import type { PageAccess } from '../pages/page-access';
import type { Clock } from '../platform/clock';
import { publishDomainEvent } from '../platform/domain-events';
import { Conflict, NotFound, PolicyRefused, ServiceUnavailable } from '../platform/errors';
import { windowsFor } from '../policy/messaging-windows';
import type { SubscriberService } from '../subscribers/subscriber-service';
import { episodesOf, recordEpisode } from './episodes';
import { recordFirstResponse } from './first-responses';
import { humanActiveUntil } from './handover';
import { afterCursor, encodeCursor, listConversations, type InboxQuery } from './inbox-query';

export interface LiveChatServiceDeps {
  visiblePageIds(workspaceId: string, member: Member): Promise<string[]>;
  pageAccess: Pick<PageAccess, 'findConnectedByFbPageId'>;
  subscribers: SubscriberService;
  outbound: Outbound;
  events: LiveEvents;
  clock: Clock;
  /** How long a human owns a conversation after claiming it or replying. */
  humanIdleMs: number;
}

/** What agents do in the inbox. Every call starts from the member, so another workspace's ids find nothing. */
export function createLiveChatService(deps: LiveChatServiceDeps) {
  const { clock, events } = deps;

  /** A conversation on a Page the member may see, else 404 (ids from elsewhere reveal nothing). */
  async function visibleConversation(member: Member, id: string): Promise<ConversationRecord> {
    const found = isValidObjectId(id)
      ? await ConversationModel.findOne({ _id: id, workspace: member.workspaceId }).lean<ConversationRecord>()
      : null;
    if (!found || !(await deps.visiblePageIds(member.workspaceId, member)).includes(String(found.page)))
      throw new NotFound('No such conversation.');
    return found;
  }

  async function update(conversation: ConversationRecord, filter: object, change: object) {
    const updated = await ConversationModel.findOneAndUpdate({ _id: conversation._id, ...filter }, change, {
      returnDocument: 'after',
    }).lean<ConversationRecord>();
    if (updated) events.conversationUpdated(updated);
    return updated;
  }

  /**
   * A claim is what keeps two agents from answering one person at once, so while it stands only its holder replies.
   * Admins get no silent override: one who must take over claims the conversation first, which every agent sees.
   */
  function refuseUnlessClaimHolder(member: Member, conversation: ConversationRecord): void {
    const holder = conversation.claimedBy ? String(conversation.claimedBy) : null;
    if (holder && holder !== member.userId)
      throw new Conflict(
        'Another agent has claimed this conversation: only they can reply (an admin can take it over by claiming it).',
        { claimedById: holder },
      );
  }

  async function participants(member: Member, conversation: ConversationRecord) {
    const subscriber = await deps.subscribers.getSubscriber(
      member.workspaceId,
      String(conversation.subscriber),
    );
    const pages = await deps.pageAccess.findConnectedByFbPageId(subscriber.fbPageId);
    const page = pages.find((candidate) => String(candidate._id) === String(conversation.page));
    if (!page) throw new ServiceUnavailable('This Page is not connected right now.');
    return { subscriber, page };
  }

  return {
    async list(
      member: Member,
      query: Omit<InboxQuery, 'workspaceId' | 'pageIds' | 'userId'> & { pageId?: string },
    ) {
      const visible = await deps.visiblePageIds(member.workspaceId, member);
      const pageIds = query.pageId ? visible.filter((id) => id === query.pageId) : visible;
      if (query.pageId && pageIds.length === 0) throw new NotFound('No such Page.');
      return listConversations({ ...query, workspaceId: member.workspaceId, pageIds, userId: member.userId });
    },

    /** The conversation with the window clocks the UI counts down, and its earlier episodes. */
    async get(member: Member, id: string) {
      const conversation = await visibleConversation(member, id);
      const subscriber = await deps.subscribers.getSubscriber(
        member.workspaceId,
        String(conversation.subscriber),
      );
      const windows = windowsFor(subscriber.lastInteractionAt ?? null, subscriber.lastUserMessageAt ?? null);
      return {
        conversation,
        subscriber,
        standardWindowClosesAt: windows.standardClosesAt,
        humanAgentWindowClosesAt: windows.humanAgentClosesAt,
        episodes: await episodesOf(conversation._id),
        // The windows are on the server's clock, which tests and the sandbox move: the dashboard counts down from it.
        now: clock.now(),
      };
    },

    async messages(member: Member, id: string, options: { cursor?: string; limit: number }) {
      const conversation = await visibleConversation(member, id);
      const rows = await MessageModel.find({
        conversation: conversation._id,
        ...afterCursor('occurredAt', options.cursor),
      })
        .sort({ occurredAt: -1, _id: -1 })
        .limit(options.limit + 1)
        .lean<MessageRecord[]>();
      const page = rows.slice(0, options.limit);
      const last = page.at(-1);
      const nextCursor = rows.length > options.limit && last ? encodeCursor(last.occurredAt, last._id) : null;
      return { messages: page, nextCursor };
    },

    /**
     * An agent's reply: policy decides, the outcome is on the message; a refusal is a 422 with the reason, and a
     * conversation another agent has claimed is a 409.
     */
    async reply(member: Member, id: string, content: AgentContent) {
      const conversation = await visibleConversation(member, id);
      refuseUnlessClaimHolder(member, conversation);
      const { subscriber, page } = await participants(member, conversation);
      const result = await deps.outbound.send({
        workspaceId: member.workspaceId,
        page,
        subscriber,
        content: fromAgentContent(content),
        purpose: { kind: 'agent_reply' },
        sender: 'agent',
        agentId: member.userId,
        priority: 'live',
      });
      if (result.status === 'refused') {
        throw new PolicyRefused(result.reason, {
          reason: result.reason,
          code: result.code,
          closedAt: result.closedAt?.toISOString() ?? null,
        });
      }
      await update(
        conversation,
        {},
        { $set: { humanActiveUntil: humanActiveUntil(clock.now(), deps.humanIdleMs), unreadCount: 0 } },
      );
      if (result.status === 'sent')
        await recordFirstResponse(conversation, member.userId, result.message?.occurredAt ?? clock.now());
      return result;
    },

    async senderAction(member: Member, id: string, action: SenderAction) {
      const conversation = await visibleConversation(member, id);
      const { page } = await participants(member, conversation);
      const sent = await deps.outbound.sendSenderAction(member.workspaceId, page, conversation.psid, action);
      if (action === 'mark_seen') await update(conversation, {}, { $set: { unreadCount: 0 } });
      return { conversation, sent };
    },

    async assign(member: Member, id: string, assigneeId: string | null) {
      const assigned = await update(
        await visibleConversation(member, id),
        {},
        {
          $set: { assignee: assigneeId ? new Types.ObjectId(assigneeId) : null },
        },
      );
      if (assigned && assigneeId) {
        publishDomainEvent('conversation.assigned', member.workspaceId, clock.now(), {
          conversation: conversationView(assigned),
          assigneeId,
          assignedBy: member.userId,
        });
      }
      return assigned;
    },

    /**
     * Resolving ends the human's ownership, so the bot answers the person's next message (which reopens it), and ends
     * an episode of the thread, which is recorded. Resolving a conversation that is not open records nothing.
     */
    async resolve(member: Member, id: string) {
      const conversation = await visibleConversation(member, id);
      const resolvedAt = clock.now();
      const change = {
        status: 'resolved',
        claimedBy: null,
        claimedAt: null,
        humanActiveUntil: null,
        openedAt: null,
        episodeMessageCount: 0,
      } as const;
      // The state before, read in the same atomic step: the episode's opening and count are exactly its own.
      const ended = await ConversationModel.findOneAndUpdate(
        { _id: conversation._id, status: 'open' },
        { $set: change },
        { returnDocument: 'before' },
      ).lean<ConversationRecord>();
      if (!ended) return conversation;
      await recordEpisode(ended, member, resolvedAt);
      const resolved = { ...ended, ...change };
      events.conversationUpdated(resolved);
      publishDomainEvent('conversation.resolved', member.workspaceId, resolvedAt, {
        conversation: conversationView(resolved),
        resolvedBy: member.userId,
      });
      return resolved;
    },

    /** An agent's reopening starts the next episode now; reopening an open conversation changes nothing. */
    reopen: async (member: Member, id: string) => {
      const conversation = await visibleConversation(member, id);
      const reopened = await update(
        conversation,
        { status: 'resolved' },
        { $set: { status: 'open', openedAt: clock.now() } },
      );
      return reopened ?? conversation;
    },

    /**
     * One agent answers at a time: an agent's claim succeeds only while nobody else holds it. An admin's claim takes
     * the conversation over, in the open (`conversation:updated` names the new holder), so a claim left by an absent
     * agent never strands the person waiting.
     */
    async claim(member: Member, id: string) {
      const conversation = await visibleConversation(member, id);
      const now = clock.now();
      const userId = new Types.ObjectId(member.userId);
      const claimed = await update(
        conversation,
        member.role === 'admin' ? {} : { claimedBy: { $in: [null, userId] } },
        {
          $set: {
            claimedBy: userId,
            claimedAt: now,
            humanActiveUntil: humanActiveUntil(now, deps.humanIdleMs),
          },
        },
      );
      if (!claimed) throw new Conflict('Another agent is answering this conversation.');
      return claimed;
    },

    /** Internal notes stay in Pagewire; they are never sent to Facebook. */
    async addNote(member: Member, id: string, text: string) {
      const conversation = await visibleConversation(member, id);
      const { message } = await recordMessage(conversation, {
        workspace: conversation.workspace,
        page: conversation.page,
        subscriber: conversation.subscriber,
        direction: 'internal',
        kind: 'note',
        sender: 'agent',
        agent: new Types.ObjectId(member.userId),
        mid: `local:${randomUUID()}`,
        text,
        status: 'sent',
        occurredAt: clock.now(),
      });
      events.messageNew(message);
      await applyToConversation(message);
      return message;
    },

    visibleConversation,
  };
}

export type LiveChatService = ReturnType<typeof createLiveChatService>;
