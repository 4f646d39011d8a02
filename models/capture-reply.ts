import { Schema, model, type InferSchemaType } from 'mongoose';
import { announceWrites } from './write-notices';

/**
 * The reservation of a private reply, inserted before the send. An insert against a unique key is atomic on any
 * database, so "once" holds across redeliveries and concurrent workers: the insert that succeeds sends, an E11000
 * means someone already did.
 */
const captureReplySchema = new Schema({
  workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
  page: { type: Schema.Types.ObjectId, ref: 'Page', required: true },
  capture: { type: Schema.Types.ObjectId, ref: 'Capture', required: true },
  fbPageId: { type: String, required: true },
  postId: { type: String, required: true },
  commentId: { type: String, required: true },
  /** The commenter's app-scoped id (`from.id`). */
  authorId: { type: String, required: true },
  /** `authorId` when the capture answers one comment per person per post, else the comment id. */
  personKey: { type: String, required: true },
  /** Meta's `recipient_id` of the private reply: how the commenter's answer is recognised. */
  psid: { type: String, default: null },
  status: {
    type: String,
    enum: ['reserved', 'sent', 'already_replied', 'cannot_reply', 'failed', 'unknown'],
    required: true,
  },
  failure: String,
  publicReply: {
    status: { type: String, enum: ['none', 'sent', 'failed'], default: 'none' },
    variant: Number,
    commentId: String,
  },
  followUp: { type: String, enum: ['none', 'waiting', 'sent', 'refused'], default: 'none' },
  at: { type: Date, required: true },
});

// One private reply per comment, ever (Meta answers 10900 to a second).
captureReplySchema.index({ commentId: 1 }, { unique: true });
// By default one per person per post and capture (personKey is the comment id when the capture allows more).
captureReplySchema.index({ capture: 1, postId: 1, personKey: 1 }, { unique: true });
// The commenter's answer: their waiting follow-up, and their PSID when they comment again.
captureReplySchema.index({ fbPageId: 1, psid: 1, followUp: 1 });
captureReplySchema.index({ fbPageId: 1, authorId: 1 });
// Whether any follow-up on the Page waits at all: the common answer, no, without reading the Page's replies.
captureReplySchema.index({ fbPageId: 1, followUp: 1 });
announceWrites(captureReplySchema, 'capturereplies');

export type CaptureReply = InferSchemaType<typeof captureReplySchema>;
export const CaptureReplyModel = model('CaptureReply', captureReplySchema);
