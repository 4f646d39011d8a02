import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * One Messenger Profile call made for a Facebook Page. Meta allows 10 per 10 minutes per Page; the budget is these rows
 * counted over the last 10 minutes, so it holds across restarts and processes. One insert per call, never a counter:
 * the budget is what happened, read back whenever asked, with nothing to reset or to drift.
 */
const botProfileCallSchema = new Schema({
  fbPageId: { type: String, required: true },
  at: { type: Date, required: true },
});

// The budget: a Page's calls of the last 10 minutes, oldest first.
botProfileCallSchema.index({ fbPageId: 1, at: 1 });

export type BotProfileCall = InferSchemaType<typeof botProfileCallSchema>;
export const BotProfileCallModel = model('BotProfileCall', botProfileCallSchema);
