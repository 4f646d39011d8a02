import { Schema, model, type InferSchemaType } from 'mongoose';
import { announceWrites } from './write-notices';

export const botRuleKinds = ['get_started', 'keyword', 'payload', 'talk_to_human', 'fallback'] as const;
export type BotRuleKind = (typeof botRuleKinds)[number];
export const keywordModes = ['exact', 'contains', 'any_of'] as const;

/**
 * When the bot answers with which block. `talk_to_human` matches like a keyword or payload rule and hands the
 * conversation to the agents; `fallback` answers what nothing else matched (at most once a day per subscriber).
 */
const botRuleSchema = new Schema(
  {
    workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
    page: { type: Schema.Types.ObjectId, ref: 'Page', required: true },
    kind: { type: String, enum: botRuleKinds, required: true },
    keywordMode: { type: String, enum: keywordModes, default: 'contains' },
    keywords: { type: [String], default: [] },
    /** Postback or quick-reply payloads that trigger the rule. */
    payloads: { type: [String], default: [] },
    /** Lower first; ties by creation, so the first matching rule is the same every time. */
    priority: { type: Number, required: true, default: 100 },
    /** Optional for `talk_to_human` (the hand-over itself is the answer). */
    block: { type: Schema.Types.ObjectId, ref: 'BotBlock', default: null },
    active: { type: Boolean, required: true, default: true },
  },
  { timestamps: true },
);

// The matcher: a Page's active rules in their deterministic order.
botRuleSchema.index({ page: 1, active: 1, priority: 1, createdAt: 1, _id: 1 });
// The editor: a workspace's rules per Page.
botRuleSchema.index({ workspace: 1, page: 1 });

announceWrites(botRuleSchema, 'botrules');

export type BotRule = InferSchemaType<typeof botRuleSchema>;
export const BotRuleModel = model('BotRule', botRuleSchema);
