import { isGetStarted } from '../../server/messaging/get-started';
import { pickRule, type MatchableRule } from './rule-matcher';

interface FlowRule extends MatchableRule {
  _id: { toString(): string };
  block?: { toString(): string } | null;
}

interface FlowBlock {
  _id: { toString(): string };
  name: string;
  content: {
    buttons?: { type: string; title: string; payload?: string | null }[];
    quickReplies?: { title: string; payload: string }[];
  };
}

/** Where a tap on a block's quick reply or postback button leads: the rule the bot would pick, and its block. */
export interface FlowLink {
  from: string;
  via: 'quick_reply' | 'button';
  title: string;
  payload: string;
  ruleId: string | null;
  /** The block the rule answers with; null when no rule matches or the rule only hands over. */
  to: string | null;
  handsOver: boolean;
}

export interface BotFlow {
  blocks: { id: string; name: string }[];
  /** The Page's active rules in the order the bot tries them, each with the block it answers with. */
  entries: { ruleId: string; kind: MatchableRule['kind']; blockId: string | null }[];
  links: FlowLink[];
}

/**
 * The flows a Page's blocks make (block → quick reply → block), found with the bot's own matcher so the drawing
 * says what the bot would do: `rules` are the Page's active rules in the bot's order.
 */
export function drawFlow(
  rules: readonly FlowRule[],
  blocks: readonly FlowBlock[],
  getStartedPayload: string,
): BotFlow {
  const links = blocks.flatMap((block) => {
    const taps = [
      ...(block.content.quickReplies ?? []).map((reply) => ({ via: 'quick_reply' as const, ...reply })),
      ...(block.content.buttons ?? []).flatMap((button) =>
        button.type === 'postback' && button.payload
          ? [{ via: 'button' as const, title: button.title, payload: button.payload }]
          : [],
      ),
    ];
    return taps.map(({ via, title, payload }): FlowLink => {
      const kind =
        via === 'quick_reply'
          ? 'quick_reply'
          : isGetStarted(payload, getStartedPayload)
            ? 'get_started'
            : 'postback';
      const rule = pickRule(rules, { kind, text: title, payload });
      return {
        from: block._id.toString(),
        via,
        title,
        payload,
        ruleId: rule?._id.toString() ?? null,
        to: rule?.block?.toString() ?? null,
        handsOver: rule?.kind === 'talk_to_human',
      };
    });
  });
  return {
    blocks: blocks.map((block) => ({ id: block._id.toString(), name: block.name })),
    entries: rules.map((rule) => ({
      ruleId: rule._id.toString(),
      kind: rule.kind,
      blockId: rule.block?.toString() ?? null,
    })),
    links,
  };
}
