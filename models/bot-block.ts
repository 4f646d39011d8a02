import { Schema, model, type InferSchemaType } from 'mongoose';

/** What an automated message says: text, with either buttons or quick replies (Meta allows one or the other). */
export const messageContentSchema = new Schema(
  {
    text: { type: String, required: true },
    buttons: {
      type: [
        new Schema(
          {
            type: { type: String, enum: ['postback', 'web_url'], required: true },
            title: { type: String, required: true },
            payload: String,
            url: String,
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    quickReplies: {
      type: [
        new Schema(
          { title: { type: String, required: true }, payload: { type: String, required: true } },
          { _id: false },
        ),
      ],
      default: [],
    },
  },
  { _id: false },
);
export type MessageContent = InferSchemaType<typeof messageContentSchema>;

/** A reply the bot can send; its quick replies carry payloads that `payload` rules lead to other blocks (flows). */
const botBlockSchema = new Schema(
  {
    workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
    page: { type: Schema.Types.ObjectId, ref: 'Page', required: true },
    name: { type: String, required: true },
    content: { type: messageContentSchema, required: true },
  },
  { timestamps: true },
);

// A Page's blocks, listed in the editor and resolved by rules.
botBlockSchema.index({ workspace: 1, page: 1, name: 1 });

export type BotBlock = InferSchemaType<typeof botBlockSchema>;
export const BotBlockModel = model('BotBlock', botBlockSchema);
