import { PageModel } from '../../models/page';
import type { JobDefinition } from '../jobs/job-registry';
import { pageTokenBinding } from './page-access';
import type { TokenVault } from './token-vault';

export const rotateTokenKeysJobName = 'pages:rotate-token-keys';

/** Another feature's secrets sealed by the same vault (X accounts' tokens): re-encrypts them, answers how many. */
export type SecretRotator = (vault: TokenVault, newestKeyId: string) => Promise<number>;

/**
 * Re-encrypts every Page token still sealed with an older key (and, through `otherSecrets`, every other secret the
 * vault sealed), so a retired key can be removed from TOKEN_ENCRYPTION_KEYS. Each update is conditional on the
 * ciphertext it read, so a run racing a reconnect is harmless.
 */
export async function rotatePageTokenKeys(vault: TokenVault, newestKeyId: string): Promise<number> {
  const stale = await PageModel.find({
    accessToken: { $exists: true },
    'accessToken.keyId': { $ne: newestKeyId },
  })
    .select('+accessToken')
    .lean();
  let rotated = 0;
  for (const page of stale) {
    if (!page.accessToken) continue;
    const binding = pageTokenBinding(page._id.toString());
    const resealed = vault.encrypt(vault.decrypt(page.accessToken, binding), binding);
    const result = await PageModel.updateOne(
      { _id: page._id, 'accessToken.ciphertext': page.accessToken.ciphertext },
      { $set: { accessToken: resealed } },
    );
    rotated += result.modifiedCount;
  }
  return rotated;
}

export function rotateTokenKeysJob(
  vault: TokenVault,
  newestKeyId: string,
  otherSecrets: readonly SecretRotator[] = [],
): JobDefinition<unknown> {
  return {
    name: rotateTokenKeysJobName,
    // Decrypting and re-encrypting is fast; ten minutes covers tens of thousands of Pages.
    lockLifetimeMs: 10 * 60_000,
    concurrency: 1,
    handle: async () => {
      await rotatePageTokenKeys(vault, newestKeyId);
      for (const rotate of otherSecrets) await rotate(vault, newestKeyId);
    },
  };
}
