import { Router } from 'express';
import { z } from 'zod';
import { memberOf, requireSession } from '../accounts/authorization';
import { agentContentSchema } from '../messaging/message-content';
import { conversationView, conversationViewSchema, messageView, messageViewSchema } from '../messaging/views';
import { objectIdString } from '../platform/ids';
import { isoInstant, type ApiOperation } from '../platform/openapi/api-operation';
import type { Presence } from './presence';
import type { LiveChatService } from './service';

const idParams = z.object({ id: objectIdString });
const limit = z.coerce.number().int().min(1).max(100).default(30);
const inboxQuery = z.strictObject({
  pageId: objectIdString.optional(),
  status: z.enum(['open', 'resolved']).optional(),
  view: z.enum(['mine', 'unassigned']).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  cursor: z.string().max(200).optional(),
  limit,
});
const messagesQuery = z.strictObject({ cursor: z.string().max(200).optional(), limit });
const senderActionBody = z.strictObject({ action: z.enum(['typing_on', 'typing_off', 'mark_seen']) });
const assignBody = z.strictObject({ assigneeId: objectIdString });
const noteBody = z.strictObject({ text: z.string().trim().min(1).max(5000) });
const presenceBody = z.strictObject({ viewing: z.boolean() });

/** /api/conversations: the inbox and what agents do in it. Thin: parse, call the service, answer. */
export function createLiveChatRouter(service: LiveChatService, presence: Presence): Router {
  const router = Router();
  router.use(requireSession);
  const id = (params: unknown) => idParams.parse(params).id;
  const answer = (conversation: Parameters<typeof conversationView>[0] | null) => ({
    conversation: conversation ? conversationView(conversation) : null,
  });

  router.get('/', async (req, res) => {
    const { conversations, nextCursor } = await service.list(memberOf(req), inboxQuery.parse(req.query));
    res.json({ data: conversations.map(conversationView), nextCursor });
  });
  router.get('/:id', async (req, res) => {
    const found = await service.get(memberOf(req), id(req.params));
    res.json({
      ...answer(found.conversation),
      standardWindowClosesAt: found.standardWindowClosesAt?.toISOString() ?? null,
      humanAgentWindowClosesAt: found.humanAgentWindowClosesAt?.toISOString() ?? null,
      now: found.now.toISOString(),
      episodes: found.episodes,
      subscriber: { id: String(found.subscriber._id), status: found.subscriber.status },
    });
  });
  router.get('/:id/messages', async (req, res) => {
    const found = await service.messages(memberOf(req), id(req.params), messagesQuery.parse(req.query));
    res.json({ data: found.messages.map(messageView), nextCursor: found.nextCursor });
  });
  router.post('/:id/messages', async (req, res) => {
    const result = await service.reply(memberOf(req), id(req.params), agentContentSchema.parse(req.body));
    const message = 'message' in result && result.message ? messageView(result.message) : null;
    res.status(result.status === 'sent' ? 201 : 202).json({ ...result, message });
  });
  router.post('/:id/sender-actions', async (req, res) => {
    const member = memberOf(req);
    const { action } = senderActionBody.parse(req.body);
    const { conversation, sent } = await service.senderAction(member, id(req.params), action);
    if (action !== 'mark_seen')
      presence.typing(
        String(conversation.page),
        String(conversation._id),
        member.userId,
        action === 'typing_on',
      );
    if (sent.delivered) res.status(204).end();
    else res.status(202).json({ delivered: false, reason: sent.reason });
  });
  router.post('/:id/presence', async (req, res) => {
    const member = memberOf(req);
    const conversation = await service.visibleConversation(member, id(req.params));
    const { viewing } = presenceBody.parse(req.body);
    const userIds = await presence.report(
      String(conversation.page),
      String(conversation._id),
      member.userId,
      viewing,
    );
    res.json({ userIds });
  });
  router.post('/:id/assign', async (req, res) => {
    const { assigneeId } = assignBody.parse(req.body);
    res.json(answer(await service.assign(memberOf(req), id(req.params), assigneeId)));
  });
  router.post('/:id/unassign', async (req, res) => {
    res.json(answer(await service.assign(memberOf(req), id(req.params), null)));
  });
  router.post('/:id/resolve', async (req, res) => {
    res.json(answer(await service.resolve(memberOf(req), id(req.params))));
  });
  router.post('/:id/reopen', async (req, res) => {
    res.json(answer(await service.reopen(memberOf(req), id(req.params))));
  });
  router.post('/:id/claim', async (req, res) => {
    res.json(answer(await service.claim(memberOf(req), id(req.params))));
  });
  router.post('/:id/notes', async (req, res) => {
    const note = await service.addNote(memberOf(req), id(req.params), noteBody.parse(req.body).text);
    res.status(201).json({ message: messageView(note) });
  });
  return router;
}

const conversationAnswer = z.object({ conversation: conversationViewSchema.nullable() });
const inboxAnswer = z.object({ data: z.array(conversationViewSchema), nextCursor: z.string().nullable() });
const conversationDetail = conversationAnswer.extend({
  standardWindowClosesAt: isoInstant.nullable(),
  humanAgentWindowClosesAt: isoInstant.nullable(),
  now: isoInstant,
  episodes: z.array(
    z.object({
      id: z.string(),
      openedAt: isoInstant,
      resolvedAt: isoInstant,
      resolvedById: z.string(),
      resolvedByName: z.string(),
      messageCount: z.number().int(),
    }),
  ),
  subscriber: z.object({ id: z.string(), status: z.string() }),
});
const messagesAnswer = z.object({ data: z.array(messageViewSchema), nextCursor: z.string().nullable() });
/** `sent` (201); `failed` or `unknown` (202) when Meta refused or never answered. */
const replyAnswer = z.looseObject({
  status: z.enum(['sent', 'failed', 'unknown']),
  message: messageViewSchema.nullable(),
  reason: z.string().optional(),
});
const problem = 'application/problem+json';

const tag = 'Conversations';
export const liveChatOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/conversations',
    summary: 'The inbox: conversations of the Pages the member sees, newest first.',
    tag,
    access: 'member',
    query: inboxQuery,
    responses: { 200: { description: 'A page of conversations.', schema: inboxAnswer } },
  },
  {
    method: 'get',
    path: '/api/conversations/:id',
    summary: 'One conversation with its messaging windows.',
    tag,
    access: 'member',
    params: idParams,
    responses: { 200: { description: 'The conversation.', schema: conversationDetail } },
  },
  {
    method: 'get',
    path: '/api/conversations/:id/messages',
    summary: 'A conversation’s messages, newest first.',
    tag,
    access: 'member',
    params: idParams,
    query: messagesQuery,
    responses: { 200: { description: 'A page of messages.', schema: messagesAnswer } },
  },
  {
    method: 'post',
    path: '/api/conversations/:id/messages',
    summary:
      'Reply: sent now (201) or queued behind the Page’s rate (202), or refused by the messaging policy.',
    tag,
    access: 'member',
    params: idParams,
    body: agentContentSchema,
    responses: {
      201: { description: 'Sent.', schema: replyAnswer },
      202: { description: 'Not sent: Facebook refused it, or never answered.', schema: replyAnswer },
      409: { description: 'Another agent has claimed the conversation.', contentType: problem },
      422: {
        description: 'The messaging policy refuses it (the 24-hour window, an opt-out).',
        contentType: problem,
      },
    },
  },
  {
    method: 'post',
    path: '/api/conversations/:id/sender-actions',
    summary: 'Typing on or off, or mark as seen.',
    tag,
    access: 'member',
    params: idParams,
    body: senderActionBody,
    responses: {
      204: { description: 'Delivered.' },
      202: {
        description: 'Not delivered, and why.',
        schema: z.object({ delivered: z.literal(false), reason: z.string() }),
      },
    },
  },
  {
    method: 'post',
    path: '/api/conversations/:id/presence',
    summary: 'Say whether the agent is viewing; answers who else is.',
    tag,
    access: 'member',
    params: idParams,
    body: presenceBody,
    responses: {
      200: { description: 'The agents viewing.', schema: z.object({ userIds: z.array(z.string()) }) },
    },
  },
  {
    method: 'post',
    path: '/api/conversations/:id/assign',
    summary: 'Assign to a member.',
    tag,
    access: 'member',
    params: idParams,
    body: assignBody,
    responses: { 200: { description: 'The conversation.', schema: conversationAnswer } },
  },
  {
    method: 'post',
    path: '/api/conversations/:id/unassign',
    summary: 'Unassign.',
    tag,
    access: 'member',
    params: idParams,
    responses: { 200: { description: 'The conversation.', schema: conversationAnswer } },
  },
  {
    method: 'post',
    path: '/api/conversations/:id/resolve',
    summary: 'Resolve.',
    tag,
    access: 'member',
    params: idParams,
    responses: { 200: { description: 'The conversation.', schema: conversationAnswer } },
  },
  {
    method: 'post',
    path: '/api/conversations/:id/reopen',
    summary: 'Reopen.',
    tag,
    access: 'member',
    params: idParams,
    responses: { 200: { description: 'The conversation.', schema: conversationAnswer } },
  },
  {
    method: 'post',
    path: '/api/conversations/:id/claim',
    summary: 'Take over from the bot for a while.',
    tag,
    access: 'member',
    params: idParams,
    responses: { 200: { description: 'The conversation.', schema: conversationAnswer } },
  },
  {
    method: 'post',
    path: '/api/conversations/:id/notes',
    summary: 'Add an internal note (never sent to the person).',
    tag,
    access: 'member',
    params: idParams,
    body: noteBody,
    responses: { 201: { description: 'The note.', schema: z.object({ message: messageViewSchema }) } },
  },
];
