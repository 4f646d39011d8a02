import { Router } from 'express';
import type { SimContext } from '../context';
import { newNumericId } from '../ids';
import { authenticate, requirePageToken, requirePermission, resolveId } from './auth';
import { GraphError } from './errors';
import { graphRoute, localsOf } from './handler';
import { isRecord, jsonParam, pathParam } from './params';

/** Attachment Upload API: `POST /{page-id}/message_attachments` -> `{attachment_id}`. */
export function attachmentRoutes(ctx: SimContext): Router {
  const router = Router();
  router.post(
    '/:id/message_attachments',
    graphRoute(ctx, 'other', (req, res, params) => {
      const caller = authenticate(ctx, req, params);
      const pageId = resolveId(caller, pathParam(req, 'id'));
      localsOf(res).pageId = pageId;
      requirePageToken(caller, pageId, 'post');
      requirePermission(ctx, caller, 'pages_messaging');
      const message = jsonParam(params, 'message');
      const attachment = isRecord(message) ? message.attachment : undefined;
      if (!isRecord(attachment) || !['image', 'audio', 'video', 'file'].includes(String(attachment.type))) {
        throw GraphError.invalid(
          'param message[attachment][type] must be one of {image, audio, video, file}',
        );
      }
      if (!isRecord(attachment.payload) || typeof attachment.payload.url !== 'string') {
        throw GraphError.invalid('param message[attachment][payload][url] is required');
      }
      const id = newNumericId();
      ctx.state.attachments.set(id, { pageId, ...attachment });
      return { attachment_id: id };
    }),
  );
  return router;
}
