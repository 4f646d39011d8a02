import { Schema, model, type InferSchemaType } from 'mongoose';

/** A customer account: the boundary no query ever crosses. Every piece of workspace data carries its id. */
const workspaceSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 120 },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  },
  { timestamps: true },
);

export type Workspace = InferSchemaType<typeof workspaceSchema>;
export const WorkspaceModel = model('Workspace', workspaceSchema);
