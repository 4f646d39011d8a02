import { Schema, model, type InferSchemaType } from 'mongoose';
import { messageContentSchema } from './bot-block';

export const captureTargetKinds = ['new_post', 'existing_post', 'any_post'] as const;

/** Words that keep a comment from being answered automatically (Meta's and X's automation rules ask for a filter). */
export const defaultSensitiveWords = [
  'suicide',
  'kill',
  'die',
  'death',
  'rape',
  'abuse',
  'harassment',
  'racist',
  'nazi',
  'terrorist',
  'overdose',
  'self harm',
  'funeral',
  'cancer',
  'lawsuit',
  'scam',
  'fraud',
];

/**
 * A comment capture: which comments of a Page get a private reply (and maybe a public one), with what. Counters are
 * derived from capture replies and outcomes (one row per comment), never `$inc`-ed: a handler that runs again after
 * a crash would count a comment twice.
 */
const captureSchema = new Schema(
  {
    workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
    page: { type: Schema.Types.ObjectId, ref: 'Page', required: true },
    fbPageId: { type: String, required: true },
    name: { type: String, required: true },
    target: {
      kind: { type: String, enum: captureTargetKinds, required: true },
      /** The post answered: given for `existing_post`, set once published for `new_post`; none for `any_post`. */
      postId: { type: String, default: null },
      /** What `new_post` publishes as the Page (`POST /{page}/feed`). */
      post: { message: String, link: String },
    },
    includeKeywords: { type: [String], default: [] },
    excludeKeywords: { type: [String], default: [] },
    privateReply: { type: messageContentSchema, required: true },
    /** Public replies under the comment, rotated so the Page does not post identical text again and again. */
    publicReplies: { type: [String], default: [] },
    /** Sent once, only after the commenter answers the private reply (which opens their window). */
    followUp: { type: messageContentSchema, default: null },
    onePerPersonPerPost: { type: Boolean, required: true, default: true },
    sensitiveWords: { type: [String], default: () => [...defaultSensitiveWords] },
    active: { type: Boolean, required: true, default: true },
  },
  { timestamps: true },
);

// Webhook dispatch: the active captures of a Facebook Page.
captureSchema.index({ fbPageId: 1, active: 1 });
// The editor: a workspace's captures per Page.
captureSchema.index({ workspace: 1, page: 1, createdAt: -1 });

export type Capture = InferSchemaType<typeof captureSchema>;
export const CaptureModel = model('Capture', captureSchema);
