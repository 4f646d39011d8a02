import { BotBlockModel } from '../../models/bot-block';
import { BotRuleModel } from '../../models/bot-rule';
import { ConversationModel, type ConversationRecord } from '../../models/conversation';
import { isHumanActive } from '../../server/livechat/handover';
import { fromAutomatedContent } from '../../server/messaging/message-content';
import { conversationInScope } from '../../server/messaging/thread-store';
import { connectedPagesFor } from '../../server/pages/page-access';
import type { StoredPage } from '../../server/pages/page-view';
import { createProcessCache } from '../../server/platform/process-cache';
import { subscriberInScope, type SubscriberRecord } from '../../server/subscribers/subscriber-service';
import type { EventScope } from '../../webhooks/event-scope';
import type { StoredPageEvent } from '../../webhooks/handler-registry';
import { sendFollowUpIfWaiting } from '../comment-capture/follow-up';
import { sendAutomated, type BotDeps } from './bot-deps';
import { nextFallbackSlot, reserveReply, settleReply } from './bot-replies';
import { handOverToHumans } from './handover';
import { readInbound, type Inbound } from './inbound';
import { pickRule } from './rule-matcher';

type StoredRule = Awaited<ReturnType<typeof loadRules>>[number];

const loadRules = (page: StoredPage) =>
  BotRuleModel.find({ page: page._id.toString(), active: true })
    .sort({ priority: 1, createdAt: 1, _id: 1 })
    .lean();

/** Every message asks for its Page's rules; they change only when someone edits them. */
const activeRules = createProcessCache<Awaited<ReturnType<typeof loadRules>>>({
  ttlMs: 2_000,
  max: 10_000,
  forgetOnWritesTo: ['botrules'],
});

const replyKindOf = (rule: StoredRule) =>
  rule.kind === 'fallback' ? 'fallback' : rule.kind === 'talk_to_human' ? 'talk_to_human' : 'rule';

async function answerWithRule(
  deps: BotDeps,
  page: StoredPage,
  subscriber: SubscriberRecord,
  conversation: ConversationRecord | null,
  rule: StoredRule,
  inbound: Inbound,
): Promise<void> {
  const now = deps.clock.now();
  const slot = rule.kind === 'fallback' ? await nextFallbackSlot(subscriber._id, now) : undefined;
  if (slot === null) return;
  const reservation = await reserveReply(
    {
      workspace: page.workspace.toString(),
      page: page._id.toString(),
      subscriber: subscriber._id,
      eventKey: inbound.key,
      kind: replyKindOf(rule),
      rule: rule._id,
      ...(slot ? { slot } : {}),
    },
    now,
  );
  if (!reservation) return;
  if (rule.kind === 'talk_to_human' && conversation) {
    await handOverToHumans(deps, conversation._id, new Date(now.getTime() + deps.settings.humanIdleMs));
  }
  const block = rule.block ? await BotBlockModel.findOne({ _id: rule.block, page: rule.page }).lean() : null;
  if (!block) {
    reservation.status = 'nothing_to_send';
    await reservation.save();
    return;
  }
  const result = await sendAutomated(deps, page, subscriber, fromAutomatedContent(block.content), 'bot', {
    ruleId: rule._id.toString(),
    ruleKind: rule.kind,
    blockId: block._id.toString(),
  });
  await settleReply(reservation._id, result);
}

async function respondOnPage(
  deps: BotDeps,
  page: StoredPage,
  inbound: Inbound,
  scope: EventScope,
): Promise<void> {
  const subscriber = await scope.once(subscriberInScope(page._id, inbound.psid), () =>
    deps.subscribers.findByPsid(page._id.toString(), inbound.psid),
  );
  // Opted-out and blocked people get nothing automated; STOP and START are answered by subscriptions alone.
  if (!subscriber || subscriber.status !== 'subscribed') return;
  if (inbound.kind === 'message' && deps.subscribers.keywordIntent(inbound.text) !== null) return;
  const conversation = await scope.once(conversationInScope(page._id, subscriber._id), () =>
    ConversationModel.findOne({
      page: page._id.toString(),
      subscriber: subscriber._id,
    }).lean<ConversationRecord>(),
  );
  if (isHumanActive(conversation, deps.clock.now())) return;
  if (await sendFollowUpIfWaiting(deps, page, subscriber, inbound, scope)) return;
  const rule = pickRule(await activeRules.get(page._id.toString(), () => loadRules(page)), inbound);
  if (rule) await answerWithRule(deps, page, subscriber, conversation, rule, inbound);
}

/**
 * `message` and `postback` handler, registered after live chat's (which records the subscriber, the conversation and
 * the message): at most one automated reply per interaction, first matching rule wins.
 */
export function createBotResponder(deps: BotDeps) {
  return async (event: StoredPageEvent, scope: EventScope): Promise<void> => {
    const inbound = readInbound(event, deps.settings.getStartedPayload);
    if (!inbound) return;
    const pages = await connectedPagesFor(scope, deps.pageAccess, inbound.fbPageId);
    for (const page of pages) await respondOnPage(deps, page, inbound, scope);
  };
}
