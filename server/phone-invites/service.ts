import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { z } from 'zod';
import { PageModel } from '../../models/page';
import { PhoneInvitationModel } from '../../models/phone-invitation';
import { PhoneInvitationSendModel } from '../../models/phone-invitation-send';
import type { AuditTrail } from '../accounts/audit';
import { canSeePage, visiblePageIds, type Member } from '../accounts/authorization';
import { isGraphError } from '../facebook/graph-outcomes';
import type { MessengerGateway } from '../facebook/messenger-gateway';
import type { PageAccess } from '../pages/page-access';
import type { Clock } from '../platform/clock';
import { isDuplicateKey } from '../platform/database/duplicate-key';
import { NotFound } from '../platform/errors';
import { objectIdString } from '../platform/ids';
import type { Logger } from '../platform/logger';
import { readUpload } from './phone-numbers';

/** What the uploader confirms, stored word for word with every number as the consent the invitation rests on. */
export const consentStatement =
  'Each person whose number I upload agreed to be contacted by this Page on Messenger at that number.';

export const uploadSchema = z.strictObject({
  pageId: objectIdString,
  /** One number per line, or a CSV whose first column is the number. */
  numbers: z.string().trim().min(1, 'Give at least one phone number.').max(200_000),
  message: z.string().trim().min(1).max(1000),
  /** The uploader's attestation of consent: required, and only `true` is accepted. */
  consentAttested: z.literal(true, { error: `Confirm: "${consentStatement}"` }),
});
export type Upload = z.infer<typeof uploadSchema>;

export const listQuerySchema = z.strictObject({ pageId: objectIdString.optional() });

export type LineOutcome = 'queued' | 'invalid' | 'already_invited' | 'repeated_in_upload';

/** How long a claimed send may go without its outcome before it is given up as unknown (never sent again). */
const sendLeaseMs = 10 * 60_000;
const batchSize = 50;

export function createPhoneInviteService(deps: {
  messenger: MessengerGateway;
  pageAccess: PageAccess;
  audit: AuditTrail;
  clock: Clock;
  logger: Logger;
  /** Asks for the send job to run soon. */
  sendSoon(): Promise<void>;
}) {
  const { messenger, pageAccess, audit, clock, logger } = deps;

  async function upload(member: Member, input: Upload) {
    if (!(await canSeePage(member, input.pageId))) throw new NotFound('No such Page.');
    const page = await PageModel.findById(input.pageId, { fbPageId: 1 }).lean();
    if (!page) throw new NotFound('No such Page.');
    const { fbPageId } = page;
    const uploadId = randomUUID();
    const now = clock.now();
    const seen = new Set<string>();
    const lines = [];
    for (const line of readUpload(input.numbers)) {
      if ('invalid' in line) {
        lines.push({
          line: line.line,
          input: line.input,
          outcome: 'invalid' as LineOutcome,
          reason: line.invalid,
        });
        continue;
      }
      const { phoneNumber } = line;
      if (seen.has(phoneNumber)) {
        lines.push({
          ...line,
          outcome: 'repeated_in_upload' as LineOutcome,
          reason: 'Already earlier in this upload.',
        });
        continue;
      }
      seen.add(phoneNumber);
      try {
        await PhoneInvitationModel.create({
          workspace: member.workspaceId,
          page: input.pageId,
          fbPageId,
          phoneNumber,
          message: input.message,
          upload: uploadId,
          consent: { attestedBy: member.userId, attestedAt: now, statement: consentStatement },
          status: 'queued',
          createdAt: now,
        });
        lines.push({ ...line, outcome: 'queued' as LineOutcome });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        lines.push({
          ...line,
          outcome: 'already_invited' as LineOutcome,
          reason: 'This Page has already invited this number; a number is invited once, ever.',
        });
      }
    }
    const queued = lines.filter((line) => line.outcome === 'queued').length;
    await audit.recordByMember(member, {
      pageId: input.pageId,
      action: 'phone-invites.uploaded',
      object: { kind: 'phone-invite-upload', id: uploadId },
      basis: `the uploader attested: "${consentStatement}"`,
      details: { queued, lines: lines.length },
    });
    if (queued > 0) await deps.sendSoon();
    return { uploadId, queued, lines };
  }

  async function list(member: Member, query: z.infer<typeof listQuerySchema>) {
    const visible = await visiblePageIds(member.workspaceId, member);
    const pages = query.pageId ? visible.filter((id) => id === query.pageId) : visible;
    if (query.pageId && pages.length === 0) throw new NotFound('No such Page.');
    const invitations = await PhoneInvitationModel.find({
      page: { $in: pages.map((id) => new Types.ObjectId(id)) },
    })
      .sort({ createdAt: -1 })
      .limit(1000)
      .lean();
    return {
      data: invitations.map((invitation) => ({
        id: invitation._id.toString(),
        pageId: invitation.page.toString(),
        phoneNumber: invitation.phoneNumber,
        status: invitation.status,
        reason: invitation.reason ?? null,
        consent: {
          attestedBy: invitation.consent.attestedBy.toString(),
          attestedAt: invitation.consent.attestedAt.toISOString(),
          statement: invitation.consent.statement,
        },
        sentAt: invitation.sentAt?.toISOString() ?? null,
        createdAt: invitation.createdAt.toISOString(),
      })),
    };
  }

  /**
   * Sends what is queued, each invitation by the worker whose claim insert succeeds, paced by the Page's send
   * governor at broadcast priority. Safe to run in several processes at once.
   */
  async function sendQueued(): Promise<number> {
    let sent = 0;
    for (;;) {
      const queued = await PhoneInvitationModel.find({ status: 'queued' }, { _id: 1 })
        .limit(batchSize)
        .lean();
      if (queued.length === 0) break;
      let claimedAny = false;
      await Promise.all(
        queued.map(async ({ _id }) => {
          if (!(await claim(_id.toString()))) return;
          claimedAny = true;
          if (await sendOne(_id.toString())) sent += 1;
        }),
      );
      if (!claimedAny) break;
    }
    return sent;
  }

  async function claim(invitationId: string): Promise<boolean> {
    try {
      await PhoneInvitationSendModel.create({ _id: invitationId, at: clock.now() });
      return true;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      await giveUpIfAbandoned(invitationId);
      return false;
    }
  }

  /** A claim whose worker died before recording the outcome: the invitation may have gone, so it never goes again. */
  async function giveUpIfAbandoned(invitationId: string): Promise<void> {
    const claimed = await PhoneInvitationSendModel.findById(invitationId).lean();
    if (!claimed || clock.now().getTime() - claimed.at.getTime() < sendLeaseMs) return;
    await PhoneInvitationModel.updateOne(
      { _id: invitationId, status: { $in: ['queued', 'sending'] } },
      {
        $set: {
          status: 'failed',
          reason: 'The send was interrupted and its outcome is unknown, so it is not sent again.',
        },
      },
    );
  }

  async function sendOne(invitationId: string): Promise<boolean> {
    const invitation = await PhoneInvitationModel.findOneAndUpdate(
      { _id: invitationId, status: 'queued' },
      { $set: { status: 'sending' } },
      { returnDocument: 'after' },
    ).lean();
    if (!invitation) return false;
    const settle = (set: Record<string, unknown>) =>
      PhoneInvitationModel.updateOne({ _id: invitationId }, { $set: set });
    try {
      const credentials = await pageAccess.getSendCredentials(
        invitation.workspace.toString(),
        invitation.page.toString(),
      );
      const result = await messenger.sendMessage(credentials, 'broadcast', {
        recipient: { phone_number: invitation.phoneNumber },
        messaging_type: 'UPDATE',
        message: { text: invitation.message },
      });
      await settle({ status: 'sent', messageId: result.messageId, sentAt: clock.now() });
      await audit.recordAfter({
        workspaceId: invitation.workspace.toString(),
        pageId: invitation.page.toString(),
        actor: { kind: 'system', id: 'phone-invites' },
        action: 'phone-invites.sent',
        object: { kind: 'phone-invitation', id: invitationId },
        basis: `attested by the uploader: "${invitation.consent.statement}"`,
      });
      return true;
    } catch (error) {
      const reason = isGraphError(error)
        ? `Meta refused it: ${error.message}`
        : error instanceof NotFound
          ? 'The Page is no longer connected.'
          : null;
      if (reason === null) logger.error({ err: error, invitationId }, 'a phone invitation failed');
      await settle({
        status: isGraphError(error) ? 'refused' : 'failed',
        reason: reason ?? 'It could not be sent; the error has been logged.',
      });
      return false;
    }
  }

  return { upload, list, sendQueued };
}

export type PhoneInviteService = ReturnType<typeof createPhoneInviteService>;
