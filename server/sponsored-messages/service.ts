import { Types } from 'mongoose';
import { z } from 'zod';
import { PageModel } from '../../models/page';
import { SponsoredMessageModel, type SponsoredMessage } from '../../models/sponsored-message';
import { UserModel } from '../../models/user';
import type { AuditTrail } from '../accounts/audit';
import { canSeePage, visiblePageIds, type Member } from '../accounts/authorization';
import { userTokenBinding } from '../accounts/login';
import type { GraphClient } from '../facebook/graph-client';
import type { SponsoredMessageIds } from '../facebook/graph-marketing-calls';
import { isGraphError, type GraphError } from '../facebook/graph-outcomes';
import type { TokenVault } from '../pages/token-vault';
import type { Clock } from '../platform/clock';
import { BadRequest, Conflict, Forbidden, NotFound } from '../platform/errors';
import { objectIdString } from '../platform/ids';
import type { Logger } from '../platform/logger';

export const draftSchema = z
  .strictObject({
    pageId: objectIdString,
    adAccountId: z.string().regex(/^act_\d+$/, 'an ad account id such as act_123'),
    name: z.string().trim().min(1).max(200),
    text: z.string().trim().min(1).max(1999),
    budget: z.strictObject({
      kind: z.enum(['daily', 'lifetime']),
      /** Minor units (cents); Meta decides the minimum, which depends on the currency. */
      amount: z.number().int().positive().max(1_000_000_000),
    }),
    startTime: z.iso.datetime({ offset: true }),
    endTime: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((draft) => draft.budget.kind === 'daily' || draft.endTime !== undefined, {
    message: 'A lifetime budget needs an end time.',
    path: ['endTime'],
  })
  .refine((draft) => !draft.endTime || Date.parse(draft.endTime) > Date.parse(draft.startTime), {
    message: 'The end comes after the start.',
    path: ['endTime'],
  });
export type Draft = z.infer<typeof draftSchema>;

/** Why these people, in plain words: Meta delivers a sponsored message only into conversations people started. */
const audienceBasis =
  'a sponsored message, which Meta delivers only to people who already messaged the Page, paid for by the workspace';

export function createSponsoredMessageService(deps: {
  graph: GraphClient;
  vault: TokenVault;
  audit: AuditTrail;
  clock: Clock;
  logger: Logger;
  objective: string;
}) {
  const { graph, vault, audit, clock } = deps;

  async function userTokenOf(userId: string): Promise<string> {
    const user = await UserModel.findById(userId).select('+userToken').lean();
    if (!user?.userToken) throw new Forbidden('Log in with Facebook again so Pagewire may manage your ads.');
    return vault.decrypt(user.userToken, userTokenBinding(userId));
  }

  /** Meta's refusal in words a marketer can act on; anything unexpected goes on to the error handler. */
  function refusal(error: GraphError): BadRequest | Forbidden {
    if (error.outcome.kind === 'permission_missing' || error.outcome.kind === 'token_invalid') {
      return new Forbidden(
        'Facebook did not let Pagewire manage ads for you. Log out and in again and allow "Manage ads" (ads_management), and check that you may advertise with this ad account.',
        { meta: error.message },
      );
    }
    return new BadRequest(`Facebook refused the sponsored message: ${error.message}`, {
      meta: error.message,
    });
  }

  async function owned(member: Member, id: string) {
    const found = await SponsoredMessageModel.findOne({ _id: id, workspace: member.workspaceId }).lean();
    if (!found || !(await canSeePage(member, found.page.toString())))
      throw new NotFound('No such sponsored message.');
    return found;
  }

  return {
    async adAccounts(member: Member) {
      try {
        return { data: await graph.listAdAccounts(await userTokenOf(member.userId)) };
      } catch (error) {
        if (isGraphError(error)) throw refusal(error);
        throw error;
      }
    },

    async create(member: Member, draft: Draft) {
      if (!(await canSeePage(member, draft.pageId))) throw new NotFound('No such Page.');
      const userToken = await userTokenOf(member.userId);
      const [page, accounts] = await Promise.all([
        PageModel.findById(draft.pageId, { fbPageId: 1 }).lean(),
        graph.listAdAccounts(userToken).catch((error: unknown) => {
          if (isGraphError(error)) throw refusal(error);
          throw error;
        }),
      ]);
      const account = accounts.find((candidate) => candidate.id === draft.adAccountId);
      if (!page) throw new NotFound('No such Page.');
      if (!account) throw new NotFound('No such ad account among those you may manage.');
      const made: Partial<SponsoredMessageIds> = {};
      const base = {
        workspace: member.workspaceId,
        page: draft.pageId,
        fbPageId: page.fbPageId,
        createdBy: member.userId,
        adAccountId: draft.adAccountId,
        name: draft.name,
        text: draft.text,
        budget: { ...draft.budget, currency: account.currency },
        startTime: new Date(draft.startTime),
        ...(draft.endTime ? { endTime: new Date(draft.endTime) } : {}),
        createdAt: clock.now(),
      };
      try {
        await graph.createSponsoredMessage(
          userToken,
          {
            adAccountId: draft.adAccountId,
            name: draft.name,
            objective: deps.objective,
            fbPageId: page.fbPageId,
            text: draft.text,
            budget: draft.budget,
            startTime: new Date(draft.startTime),
            ...(draft.endTime ? { endTime: new Date(draft.endTime) } : {}),
          },
          made,
        );
      } catch (error) {
        if (!isGraphError(error)) throw error;
        // Kept when Meta made part of it: the paused campaign stays in the ad account under this record's ids.
        if (made.campaignId) {
          await SponsoredMessageModel.create({ ...base, ...made, state: 'failed', failure: error.message });
        }
        throw refusal(error);
      }
      const created = await SponsoredMessageModel.create({ ...base, ...made, state: 'active' });
      await audit.recordByMember(member, {
        pageId: draft.pageId,
        action: 'sponsored-message.created',
        object: { kind: 'sponsored-message', id: created.id as string },
        basis: audienceBasis,
        details: { budget: base.budget, adAccountId: draft.adAccountId, adId: made.adId },
      });
      return view(created.toObject());
    },

    async list(member: Member) {
      const visible = await visiblePageIds(member.workspaceId, member);
      const found = await SponsoredMessageModel.find({
        workspace: member.workspaceId,
        page: { $in: visible.map((id) => new Types.ObjectId(id)) },
      })
        .sort({ createdAt: -1 })
        .limit(200)
        .lean();
      return { data: found.map(view) };
    },

    async get(member: Member, id: string) {
      return view(await owned(member, id));
    },

    /** Pauses the campaign (and so everything under it), with the creator's token as it was made. */
    async pause(member: Member, id: string) {
      const found = await owned(member, id);
      if (found.state !== 'active' || !found.campaignId)
        throw new Conflict('Only a running sponsored message pauses.');
      try {
        await graph.setAdStatus(await userTokenOf(found.createdBy.toString()), found.campaignId, 'PAUSED');
      } catch (error) {
        if (isGraphError(error)) throw refusal(error);
        throw error;
      }
      await SponsoredMessageModel.updateOne({ _id: id }, { $set: { state: 'paused' } });
      await audit.recordByMember(member, {
        pageId: found.page.toString(),
        action: 'sponsored-message.paused',
        object: { kind: 'sponsored-message', id },
        basis: audienceBasis,
      });
      return pull(id);
    },

    async refresh(member: Member, id: string) {
      await owned(member, id);
      return pull(id);
    },

    /** The pull job: status and results of every sponsored message that may still be delivering. */
    async pullAll(): Promise<void> {
      const running = await SponsoredMessageModel.find({ state: 'active' }, { _id: 1 }).lean();
      for (const { _id } of running) {
        try {
          await pull(_id.toString());
        } catch (error) {
          deps.logger.warn(
            { err: error, sponsoredMessageId: _id.toString() },
            'could not pull a sponsored message',
          );
        }
      }
    },
  };

  /** Reads Meta's status and totals into the record; answers the record as the dashboard shows it. */
  async function pull(id: string) {
    const found = await SponsoredMessageModel.findById(id).lean();
    if (!found) throw new NotFound('No such sponsored message.');
    if (!found.adId) return view(found);
    try {
      const userToken = await userTokenOf(found.createdBy.toString());
      const [status, results] = await Promise.all([
        graph.readAdStatus(userToken, found.adId),
        graph.readAdResults(userToken, found.adId),
      ]);
      const updated = await SponsoredMessageModel.findOneAndUpdate(
        { _id: id },
        {
          $set: {
            effectiveStatus: status.effectiveStatus,
            results: { ...results, pulledAt: clock.now() },
          },
        },
        { returnDocument: 'after' },
      ).lean();
      return view(updated ?? found);
    } catch (error) {
      if (isGraphError(error)) throw refusal(error);
      throw error;
    }
  }
}

function view(message: SponsoredMessage & { _id: Types.ObjectId }) {
  return {
    id: message._id.toString(),
    pageId: message.page.toString(),
    adAccountId: message.adAccountId,
    name: message.name,
    text: message.text,
    budget: { kind: message.budget.kind, amount: message.budget.amount, currency: message.budget.currency },
    startTime: message.startTime.toISOString(),
    endTime: message.endTime?.toISOString() ?? null,
    state: message.state,
    failure: message.failure ?? null,
    effectiveStatus: message.effectiveStatus ?? null,
    results: message.results?.pulledAt
      ? {
          impressions: message.results.impressions ?? 0,
          reach: message.results.reach ?? 0,
          spend: message.results.spend ?? 0,
          pulledAt: message.results.pulledAt.toISOString(),
        }
      : null,
    createdAt: message.createdAt.toISOString(),
  };
}

export type SponsoredMessageService = ReturnType<typeof createSponsoredMessageService>;
