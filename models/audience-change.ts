import { Schema, model } from 'mongoose';

export interface AudienceChangeRecord {
  /** The workspace's id. */
  _id: string;
  /** The last time one of its subscribers stopped being reachable (opted out, or Meta answered 551). */
  at: Date;
}

/**
 * Lets a broadcast trust what its fan-out read: a batch whose people were read after the workspace's last change
 * sends without reading each of them again. Written before the subscriber's own change, so a sender that reads the
 * subscriber's new status has also had the chance to see this one.
 */
const audienceChangeSchema = new Schema<AudienceChangeRecord>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

export const AudienceChangeModel = model<AudienceChangeRecord>(
  'AudienceChange',
  audienceChangeSchema,
  'audience_changes',
);
