import { Router } from 'express';
import { z } from 'zod';
import { marketingRoles, memberOf, requireRole, requireSession } from '../accounts/authorization';
import { phoneInvitationStatuses } from '../../models/phone-invitation';
import { isoInstant, listOf, type ApiOperation } from '../platform/openapi/api-operation';
import { listQuerySchema, uploadSchema, type PhoneInviteService } from './service';

/** /api/phone-invites: marketing, for admins and marketers, on the Pages they see. Mounted only with FEATURE_PHONE_INVITES. */
export function createPhoneInvitesRouter(service: PhoneInviteService): Router {
  const router = Router();
  router.use(requireSession, requireRole(...marketingRoles));
  router.get('/', async (req, res) => {
    res.json(await service.list(memberOf(req), listQuerySchema.parse(req.query)));
  });
  router.post('/', async (req, res) => {
    res.status(201).json(await service.upload(memberOf(req), uploadSchema.parse(req.body)));
  });
  return router;
}

const invitationView = z.object({
  id: z.string(),
  pageId: z.string(),
  phoneNumber: z.string(),
  status: z.enum(phoneInvitationStatuses),
  reason: z.string().nullable(),
  consent: z.object({ attestedBy: z.string(), attestedAt: isoInstant, statement: z.string() }),
  sentAt: isoInstant.nullable(),
  createdAt: isoInstant,
});
const uploadAnswer = z.object({
  uploadId: z.string(),
  queued: z.number().int(),
  lines: z.array(
    z.object({
      line: z.number().int(),
      input: z.string(),
      phoneNumber: z.string().optional(),
      outcome: z.enum(['queued', 'invalid', 'already_invited', 'repeated_in_upload']),
      reason: z.string().optional(),
    }),
  ),
});

const tag = 'Phone invitations';
export const phoneInvitesOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/phone-invites',
    summary: 'The phone invitations of the Pages the member sees, with each one’s status and consent.',
    tag,
    access: 'marketing',
    query: listQuerySchema,
    responses: { 200: { description: 'The invitations, newest first.', schema: listOf(invitationView) } },
  },
  {
    method: 'post',
    path: '/api/phone-invites',
    summary:
      'Upload phone numbers with the uploader’s attestation of consent: each valid number not invited before is queued once, ever.',
    tag,
    access: 'marketing',
    body: uploadSchema,
    responses: { 201: { description: 'What became of each line.', schema: uploadAnswer } },
  },
];
