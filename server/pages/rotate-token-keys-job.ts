import type { JobDefinition } from '../jobs/job-registry';
import { sealedSecrets, type SealedSecretKind } from './sealed-secrets';
import type { EncryptedSecret, TokenVault } from './token-vault';

export const rotateTokenKeysJobName = 'pages:rotate-token-keys';

/**
 * Re-encrypts every sealed secret (Page and user tokens, webhook signing secrets: `sealed-secrets.ts`) still sealed
 * with an older key, so a retired key can be removed from TOKEN_ENCRYPTION_KEYS. Each update is conditional on the
 * ciphertext it read, so a run racing a reconnect or a new secret is harmless. Answers how many it re-encrypted.
 */
export async function rotateSealedSecrets(vault: TokenVault, newestKeyId: string): Promise<number> {
  let rotated = 0;
  for (const sealed of sealedSecrets) rotated += await rotateKind(sealed, vault, newestKeyId);
  return rotated;
}

async function rotateKind(
  { model, field, bindingOf }: SealedSecretKind,
  vault: TokenVault,
  newestKeyId: string,
): Promise<number> {
  const stale = await model
    .find({ [field]: { $exists: true }, [`${field}.keyId`]: { $ne: newestKeyId } })
    .select(`+${field}`)
    .lean<({ _id: unknown } & Record<string, EncryptedSecret | undefined>)[]>();
  let rotated = 0;
  for (const document of stale) {
    const secret = document[field];
    if (!secret) continue;
    const binding = bindingOf(String(document._id));
    const resealed = vault.encrypt(vault.decrypt(secret, binding), binding);
    const result = await model.updateOne(
      { _id: document._id, [`${field}.ciphertext`]: secret.ciphertext },
      { $set: { [field]: resealed } },
    );
    rotated += result.modifiedCount;
  }
  return rotated;
}

export function rotateTokenKeysJob(vault: TokenVault, newestKeyId: string): JobDefinition<unknown> {
  return {
    name: rotateTokenKeysJobName,
    // Decrypting and re-encrypting is fast; ten minutes covers tens of thousands of secrets.
    lockLifetimeMs: 10 * 60_000,
    concurrency: 1,
    handle: async () => {
      await rotateSealedSecrets(vault, newestKeyId);
    },
  };
}
