import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * What a key may reach: `read` every GET open to keys; each other scope its area, reads included (the table in
 * server/api-keys/key-scopes.ts).
 */
export const apiKeyScopes = ['read', 'conversations', 'broadcasts', 'automation', 'subscribers'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

/**
 * A workspace's key for the public API. The key itself is shown once, at creation; only its SHA-256 is kept, with a
 * prefix of it so admins can tell keys apart and the server can find the one to compare.
 */
const apiKeySchema = new Schema({
  workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
  name: { type: String, required: true },
  scopes: { type: [String], enum: apiKeyScopes, required: true },
  prefix: { type: String, required: true },
  secretHash: { type: String, required: true },
  createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  createdAt: { type: Date, required: true },
  /** Written at most once a minute, not on every request. */
  lastUsedAt: { type: Date, default: null },
  revokedAt: { type: Date, default: null },
});

// Every key request looks its key up by prefix; unique so a prefix names one key.
apiKeySchema.index({ prefix: 1 }, { unique: true });
// The admins' list of a workspace's keys, newest first.
apiKeySchema.index({ workspace: 1, createdAt: -1 });

export type ApiKey = InferSchemaType<typeof apiKeySchema>;
export const ApiKeyModel = model('ApiKey', apiKeySchema);
