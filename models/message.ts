import { Schema, model, type Types } from 'mongoose';

export const messageKinds = [
  'text',
  'attachments',
  'quick_reply',
  'postback',
  'reaction',
  'template',
  'note',
] as const;
export type MessageKind = (typeof messageKinds)[number];

export const messageSenders = [
  'subscriber',
  'agent',
  'bot',
  'broadcast',
  'capture',
  'page_inbox',
  'other_app',
] as const;
export type MessageSender = (typeof messageSenders)[number];

export const outboundStatuses = ['pending', 'sent', 'delivered', 'read', 'failed', 'unknown'] as const;
export type OutboundStatus = (typeof outboundStatuses)[number];

export interface MessageRecord {
  _id: Types.ObjectId;
  workspace: Types.ObjectId;
  page: Types.ObjectId;
  conversation: Types.ObjectId;
  subscriber: Types.ObjectId;
  direction: 'inbound' | 'outbound' | 'internal';
  kind: MessageKind;
  sender: MessageSender;
  agent: Types.ObjectId | null;
  /**
   * Meta's message id. Until Meta assigns one (an outbound message not yet sent, an internal note) it holds a local
   * `local:<uuid>` so the unique index below needs no partial-index support (FerretDB has none). Unique per Page
   * document, not globally: a Facebook Page connected in two workspaces gets each event once in each of them.
   */
  mid: string;
  text?: string;
  attachments?: { type: string; url?: string }[];
  payload?: string;
  reaction?: { reaction: string; emoji?: string; action: 'react' | 'unreact'; targetMid: string };
  /** The Send API request parts we chose, for outbound messages. */
  delivery?: { messagingType: string; tag?: string };
  status: OutboundStatus | 'received';
  failure?: { code?: number; subcode?: number; outcome: string; reason: string };
  occurredAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

const messageSchema = new Schema<MessageRecord>(
  {
    workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
    page: { type: Schema.Types.ObjectId, ref: 'Page', required: true },
    conversation: { type: Schema.Types.ObjectId, ref: 'Conversation', required: true },
    subscriber: { type: Schema.Types.ObjectId, ref: 'Subscriber', required: true },
    direction: { type: String, enum: ['inbound', 'outbound', 'internal'], required: true },
    kind: { type: String, enum: messageKinds, required: true },
    sender: { type: String, enum: messageSenders, required: true },
    agent: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    mid: { type: String, required: true },
    text: String,
    attachments: [{ _id: false, type: { type: String }, url: String }],
    payload: String,
    reaction: { reaction: String, emoji: String, action: String, targetMid: String },
    delivery: { messagingType: String, tag: String },
    status: { type: String, enum: [...outboundStatuses, 'received'], required: true },
    failure: { code: Number, subcode: Number, outcome: String, reason: String },
    occurredAt: { type: Date, required: true },
  },
  { timestamps: true },
);

// A message is stored once per Page document (so once per workspace): a redelivery or our own echo finds the same
// (page, mid), while the same Page connected in another workspace keeps its own copy.
messageSchema.index({ page: 1, mid: 1 }, { unique: true });
// A conversation's thread in order, and delivery/read watermarks ("everything sent before T").
messageSchema.index({ conversation: 1, occurredAt: 1 });
// Search by message text within a Page.
messageSchema.index({ page: 1, occurredAt: -1 });

export const MessageModel = model<MessageRecord>('Message', messageSchema);
