import { XAdsConnectionModel } from '../../models/x-ads-connection';
import type { TokenVault } from '../pages/token-vault';
import { tokenBinding, tokenSecretBinding } from './connections';

/**
 * Re-seals X Ads tokens and secrets still sealed with an older key (the pages:rotate-token-keys job runs it). Each
 * update is conditional on the ciphertext it read, so a run racing a reconnect is harmless.
 */
export async function rotateXAdsTokenKeys(vault: TokenVault, newestKeyId: string): Promise<number> {
  const stale = await XAdsConnectionModel.find({
    $or: [{ 'accessToken.keyId': { $ne: newestKeyId } }, { 'accessTokenSecret.keyId': { $ne: newestKeyId } }],
  })
    .select('+accessToken +accessTokenSecret')
    .lean();
  let rotated = 0;
  for (const connection of stale) {
    if (!connection.accessToken || !connection.accessTokenSecret) continue;
    const id = connection._id.toString();
    const reseal = (sealed: typeof connection.accessToken, binding: string) =>
      vault.encrypt(vault.decrypt(sealed, binding), binding);
    const result = await XAdsConnectionModel.updateOne(
      { _id: connection._id, 'accessToken.ciphertext': connection.accessToken.ciphertext },
      {
        $set: {
          accessToken: reseal(connection.accessToken, tokenBinding(id)),
          accessTokenSecret: reseal(connection.accessTokenSecret, tokenSecretBinding(id)),
        },
      },
    );
    rotated += result.modifiedCount;
  }
  return rotated;
}
