import { Router, type Request, type Response } from 'express';
import type { SimContext } from '../context';
import { newMid } from '../ids';
import { scheduleReceipts } from '../people/receipts';
import type { PageRecord } from '../records';
import { echoMessage, fromPage } from '../webhook-sender/events';
import { authenticate, requirePageToken, requirePermission, resolveId } from './auth';
import { GraphError, rateLimitError } from './errors';
import { graphRoute, localsOf, recordViolation } from './handler';
import { isRecord, jsonParam, pathParam, type Params } from './params';
import { judgeSend, type Judgement } from './policy';
import type { SendClass } from './rate-limits';
import { parseSendRequest, type SendRequest } from './send-validation';

/** Send API: `POST /{page-id}/messages` and `/me/messages` with a Page token. */
export function sendApiRoutes(ctx: SimContext): Router {
  const router = Router();
  router.post(
    '/:id/messages',
    graphRoute(ctx, 'messages', (req, res, params) => sendMessage(ctx, req, res, params)),
  );
  return router;
}

function sendMessage(ctx: SimContext, req: Request, res: Response, params: Params) {
  const locals = localsOf(res);
  const caller = authenticate(ctx, req, params);
  locals.tokenKind = caller.kind;
  const pageId = resolveId(caller, pathParam(req, 'id'));
  locals.pageId = pageId;
  const page = requirePageToken(caller, pageId, 'post');
  requirePermission(ctx, caller, 'pages_messaging');
  locals.psid = lenientPsid(params);
  throttle(ctx, res, page, sendClassOf(ctx, params));
  const request = parseSendRequest(params, ctx.settings.policy);
  if (request.recipient.kind === 'phone_number')
    requirePermission(ctx, caller, 'pages_messaging_phone_number');
  assertKnownAttachment(ctx, request.message);
  const judgement = judgeSend(ctx, page, request);
  locals.psid = judgement.psid ?? undefined;
  judgement.commit();
  if (judgement.misuse) recordViolation(ctx, req, res, params, judgement.misuse);
  return accept(ctx, page, request, judgement, locals.responseDropped ?? false);
}

function throttle(ctx: SimContext, res: Response, page: PageRecord, sendClass: SendClass): void {
  const verdict = ctx.rateLimiter.take(page.id, sendClass, page.rateLimits);
  res.setHeader('x-business-use-case-usage', verdict.businessUseCaseUsage);
  res.setHeader('x-app-usage', verdict.appUsage);
  if (verdict.allowed) return;
  throw rateLimitError(ctx.settings.rateLimits.errorCode, verdict.regainInMs);
}

function assertKnownAttachment(ctx: SimContext, message: Record<string, unknown> | null): void {
  const attachment = message?.attachment;
  const payload = isRecord(attachment) ? attachment.payload : undefined;
  const id = isRecord(payload) ? payload.attachment_id : undefined;
  if (id !== undefined && !ctx.state.attachments.has(String(id))) {
    throw GraphError.invalid(`Attachment ${String(id)} does not exist`);
  }
}

/** The PSID a refusal is recorded against, read before the body is validated. */
function lenientPsid(params: Params): string | undefined {
  try {
    const recipient = jsonParam(params, 'recipient');
    return isRecord(recipient) && typeof recipient.id === 'string' ? recipient.id : undefined;
  } catch {
    return undefined;
  }
}

/** Audio and video count against the media limit; everything else against the text limit. */
function sendClassOf(ctx: SimContext, params: Params): SendClass {
  let message: unknown;
  try {
    message = jsonParam(params, 'message');
  } catch {
    return 'text';
  }
  const attachment = isRecord(message) ? message.attachment : undefined;
  const type = isRecord(attachment) ? attachment.type : undefined;
  return typeof type === 'string' && ctx.settings.rateLimits.mediaAttachmentTypes.includes(type)
    ? 'media'
    : 'text';
}

function accept(
  ctx: SimContext,
  page: PageRecord,
  request: SendRequest,
  judgement: Judgement,
  responseDropped: boolean,
) {
  const mid = request.message ? newMid() : null;
  const time = ctx.clock.now();
  ctx.state.sentMessages.push({
    pageId: page.id,
    psid: judgement.thread?.psid ?? null,
    recipient: request.rawRecipient,
    messagingType: request.messagingType,
    tag: request.tag,
    message: request.message,
    senderAction: request.senderAction,
    mid,
    appId: ctx.settings.appId,
    time,
    receivedAt: Date.now(),
    responseDropped,
    body: request.body,
  });
  const { thread } = judgement;
  if (mid && request.message && thread) {
    const echo = fromPage(thread, time, { message: echoMessage(ctx.settings.appId, mid, request.message) });
    ctx.webhooks.messaging(page.id, thread.psid, 'message_echoes', echo);
    scheduleReceipts(ctx, thread, mid);
  }
  const recipientId = judgement.psid ? { recipient_id: judgement.psid } : {};
  return mid ? { ...recipientId, message_id: mid } : recipientId;
}
