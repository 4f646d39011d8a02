import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * One earlier episode of a conversation (there is one conversation per person and Page): the thread from its opening,
 * by the first message or a reopening, to an agent's resolving it. Written once, at the resolve.
 */
const conversationEpisodeSchema = new Schema({
  workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
  conversation: { type: Schema.Types.ObjectId, ref: 'Conversation', required: true },
  openedAt: { type: Date, required: true },
  resolvedAt: { type: Date, required: true },
  resolvedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  /** The resolver's name then, so the history still reads right once they have left the workspace. */
  resolvedByName: { type: String, required: true },
  /** Messages to and from the person (not internal notes) since the resolve before. */
  messageCount: { type: Number, required: true },
});

// A conversation's episodes, newest first: the contact panel, and trimming to the newest few.
conversationEpisodeSchema.index({ conversation: 1, resolvedAt: -1 });

export type ConversationEpisode = InferSchemaType<typeof conversationEpisodeSchema>;
export const ConversationEpisodeModel = model('ConversationEpisode', conversationEpisodeSchema);
