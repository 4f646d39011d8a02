import { Schema, model, type InferSchemaType } from 'mongoose';

/** Who or what did what, to which object, on what basis. Entries are only ever inserted. */
const auditLogSchema = new Schema({
  workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
  actor: {
    kind: { type: String, enum: ['user', 'system', 'job'], required: true },
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

// A workspace's history, newest first.
auditLogSchema.index({ workspace: 1, at: -1 });
// The history of one object (a Page's connections and health changes).
auditLogSchema.index({ 'object.kind': 1, 'object.id': 1, at: -1 });

export type AuditLog = InferSchemaType<typeof auditLogSchema>;
export const AuditLogModel = model('AuditLog', auditLogSchema);
