import { Schema, model, type InferSchemaType } from 'mongoose';

/** Admins run the workspace; marketers send broadcasts and run automation (bot, Messenger Profile, captures); agents
 * answer conversations. */
export const roles = ['admin', 'marketer', 'agent'] as const;
export type Role = (typeof roles)[number];

/** What a user may do in one workspace. Authorization reads this on every request, so a role change is immediate. */
const membershipSchema = new Schema(
  {
    workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    role: { type: String, enum: roles, required: true },
    /** Teams the member belongs to; Pages shared with one of these teams are visible to them. */
    teamIds: { type: [String], default: [] },
  },
  { timestamps: true },
);

// One membership per user and workspace: accepting an invitation twice cannot make two.
membershipSchema.index({ workspace: 1, user: 1 }, { unique: true });
// Login picks the workspaces a user belongs to.
membershipSchema.index({ user: 1, createdAt: 1 });

export type Membership = InferSchemaType<typeof membershipSchema>;
export const MembershipModel = model('Membership', membershipSchema);
