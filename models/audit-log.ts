import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * Who acted: a member (`user`), Pagewire itself (`system`, named by the feature), a background job (`job`), a person
 * on Messenger (`person`, by PSID), Meta (`meta`, a webhook about the Page) or a workspace's API key (`api-key`).
 */
export const auditActorKinds = ['user', 'system', 'job', 'person', 'meta', 'api-key'] as const;
export type AuditActorKind = (typeof auditActorKinds)[number];

/** Who or what did what, to which object, on what basis. Entries are only ever inserted. */
const auditLogSchema = new Schema({
  workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
  /** The Page the action concerns; absent for workspace-wide actions (logins, members, invitations). */
  page: { type: Schema.Types.ObjectId, ref: 'Page' },
  actor: {
    kind: { type: String, enum: auditActorKinds, required: true },
    id: { type: String, required: true },
  },
  action: { type: String, required: true },
  object: {
    kind: { type: String, required: true },
    id: { type: String, required: true },
  },
  /** Why it was allowed or why it happened, e.g. "role admin" or "Graph answered 190". */
  basis: { type: String, required: true },
  details: { type: Schema.Types.Mixed },
  at: { type: Date, required: true },
});

// A workspace's history, newest first (the compliance log and its export).
auditLogSchema.index({ workspace: 1, at: -1 });
// One Page's history in its workspace, newest first (the compliance log read per Page).
auditLogSchema.index({ workspace: 1, page: 1, at: -1 });
// The history of one object (a Page's connections and health changes).
auditLogSchema.index({ 'object.kind': 1, 'object.id': 1, at: -1 });

export type AuditLog = InferSchemaType<typeof auditLogSchema>;
export const AuditLogModel = model('AuditLog', auditLogSchema);
