import { Schema, model, type InferSchemaType } from 'mongoose';

/** AES-256-GCM ciphertext of a secret, with the id of the key that sealed it (so keys can rotate). */
export const encryptedSecretSchema = new Schema(
  {
    keyId: { type: String, required: true },
    iv: { type: String, required: true },
    tag: { type: String, required: true },
    ciphertext: { type: String, required: true },
  },
  { _id: false },
);

/** A person who logs in with Facebook. Their role lives on a Membership, per workspace. */
const userSchema = new Schema(
  {
    facebookUserId: { type: String, required: true },
    name: { type: String, required: true },
    email: { type: String },
    /** The long-lived user token, kept to list the user's Pages; never selected unless asked for. */
    userToken: { type: encryptedSecretSchema, select: false },
    userTokenExpiresAt: { type: Date },
    lastLoginAt: { type: Date },
  },
  { timestamps: true },
);

// Login finds or creates the user by Facebook id; unique so two simultaneous first logins make one user.
userSchema.index({ facebookUserId: 1 }, { unique: true });

export type User = InferSchemaType<typeof userSchema>;
export const UserModel = model('User', userSchema);
