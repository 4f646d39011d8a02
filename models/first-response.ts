import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * How long a person waited for an agent: from their first message of a conversation's episode to the first agent
 * reply after it. Written once, by that reply; the Overview's first-response times are read from these.
 */
const firstResponseSchema = new Schema({
  workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
  page: { type: Schema.Types.ObjectId, ref: 'Page', required: true },
  conversation: { type: Schema.Types.ObjectId, ref: 'Conversation', required: true },
  /** The person's first message of the episode. */
  askedAt: { type: Date, required: true },
  answeredAt: { type: Date, required: true },
  agent: { type: Schema.Types.ObjectId, ref: 'User', required: true },
});

// One first response per episode: the person's first message of an episode is its key, and later replies collide.
firstResponseSchema.index({ conversation: 1, askedAt: 1 }, { unique: true });
// The Overview: a Page's first responses by the day the person asked.
firstResponseSchema.index({ page: 1, askedAt: 1 });

export type FirstResponse = InferSchemaType<typeof firstResponseSchema>;
export const FirstResponseModel = model('FirstResponse', firstResponseSchema, 'first_responses');
