import type { z } from 'zod';
import { BotBlockModel } from '../../models/bot-block';
import { BotRuleModel } from '../../models/bot-rule';
import type { Member } from '../../server/accounts/authorization';
import { BadRequest, Conflict, NotFound } from '../../server/platform/errors';
import { asObjectId, scopeFor, visiblePage } from '../page-scope';
import {
  missingFromRule,
  type blockChanges,
  type newBlockInput,
  type NewRuleInput,
  type RuleOrder,
  type ruleChanges,
} from './bot-input';
import { drawFlow } from './bot-flow';

/** Rules and blocks of the Pages a member sees; blocks a rule points at must belong to the same Page. */
export function createBotService(settings: { getStartedPayload: string }) {
  async function findBlock(member: Member, id: string) {
    const block = await BotBlockModel.findOne({ ...(await scopeFor(member)), _id: asObjectId(id, 'block') });
    if (!block) throw new NotFound('No such block.');
    return block;
  }
  async function findRule(member: Member, id: string) {
    const rule = await BotRuleModel.findOne({ ...(await scopeFor(member)), _id: asObjectId(id, 'rule') });
    if (!rule) throw new NotFound('No such rule.');
    return rule;
  }
  async function assertBlockOnPage(blockId: string | null | undefined, pageId: string) {
    if (!blockId) return;
    if (!(await BotBlockModel.exists({ _id: asObjectId(blockId, 'block'), page: pageId }))) {
      throw new BadRequest('The block must belong to the same Page as the rule.');
    }
  }

  return {
    listBlocks: async (member: Member) =>
      BotBlockModel.find(await scopeFor(member))
        .sort({ page: 1, name: 1 })
        .lean(),
    getBlock: async (member: Member, id: string) => (await findBlock(member, id)).toObject(),
    async createBlock(member: Member, input: z.infer<typeof newBlockInput>) {
      await visiblePage(member, input.page);
      return (await BotBlockModel.create({ ...input, workspace: member.workspaceId })).toObject();
    },
    async updateBlock(member: Member, id: string, changes: z.infer<typeof blockChanges>) {
      const block = await findBlock(member, id);
      block.set(changes);
      return (await block.save()).toObject();
    },
    async removeBlock(member: Member, id: string) {
      const block = await findBlock(member, id);
      if (await BotRuleModel.exists({ block: block._id })) {
        throw new BadRequest('A rule still answers with this block; change or delete the rule first.');
      }
      await block.deleteOne();
    },

    listRules: async (member: Member) =>
      BotRuleModel.find(await scopeFor(member))
        .sort({ page: 1, priority: 1, createdAt: 1, _id: 1 })
        .lean(),
    getRule: async (member: Member, id: string) => (await findRule(member, id)).toObject(),
    async createRule(member: Member, input: NewRuleInput) {
      await visiblePage(member, input.page);
      await assertBlockOnPage(input.block, input.page);
      return (await BotRuleModel.create({ ...input, workspace: member.workspaceId })).toObject();
    },
    async updateRule(member: Member, id: string, changes: z.infer<typeof ruleChanges>) {
      const rule = await findRule(member, id);
      await assertBlockOnPage(changes.block, rule.page.toString());
      rule.set(changes);
      const missing = missingFromRule(rule);
      if (missing) throw new BadRequest(missing);
      return (await rule.save()).toObject();
    },
    async removeRule(member: Member, id: string) {
      await (await findRule(member, id)).deleteOne();
    },

    /** Gives the Page's rules the order listed (priorities 10, 20, …); the list must name each of its rules once. */
    async reorderRules(member: Member, order: RuleOrder) {
      const page = await visiblePage(member, order.page);
      const rules = await BotRuleModel.find(
        { workspace: member.workspaceId, page: page._id },
        { priority: 1 },
      ).lean();
      const known = new Set(rules.map((rule) => rule._id.toString()));
      if (order.ruleIds.length !== known.size || !order.ruleIds.every((ruleId) => known.has(ruleId))) {
        throw new Conflict(
          "The Page's rules changed since this list was read; reload them and order them again.",
        );
      }
      const current = new Map(rules.map((rule) => [rule._id.toString(), rule.priority]));
      for (const [index, ruleId] of order.ruleIds.entries()) {
        const priority = (index + 1) * 10;
        if (current.get(ruleId) !== priority)
          await BotRuleModel.updateOne({ _id: ruleId }, { $set: { priority } });
      }
      return BotRuleModel.find({ page: page._id }).sort({ priority: 1, createdAt: 1, _id: 1 }).lean();
    },

    /** The Page's flows as the bot would follow them (bot-flow.ts). */
    async flow(member: Member, pageId: string) {
      const page = await visiblePage(member, pageId);
      const [rules, blocks] = await Promise.all([
        BotRuleModel.find({ page: page._id, active: true })
          .sort({ priority: 1, createdAt: 1, _id: 1 })
          .lean(),
        BotBlockModel.find({ workspace: member.workspaceId, page: page._id }).sort({ name: 1 }).lean(),
      ]);
      return drawFlow(rules, blocks, settings.getStartedPayload);
    },
  };
}

export type BotService = ReturnType<typeof createBotService>;
