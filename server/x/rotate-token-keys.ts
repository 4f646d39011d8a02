import { XAccountModel } from '../../models/x-account';
import type { TokenVault } from '../pages/token-vault';
import { xTokenBinding } from './connections';

/**
 * X accounts' tokens for the daily `pages:rotate-token-keys` run: each still sealed with an older key is sealed again
 * with the newest, conditional on the ciphertext read, so a refresh racing it wins.
 */
export async function rotateXTokenKeys(vault: TokenVault, newestKeyId: string): Promise<number> {
  const stale = await XAccountModel.find({
    $or: [
      { accessToken: { $exists: true }, 'accessToken.keyId': { $ne: newestKeyId } },
      { refreshToken: { $exists: true }, 'refreshToken.keyId': { $ne: newestKeyId } },
    ],
  })
    .select('+accessToken +refreshToken')
    .lean();
  let rotated = 0;
  for (const account of stale) {
    const id = account._id.toString();
    for (const kind of ['access', 'refresh'] as const) {
      const field = kind === 'access' ? 'accessToken' : 'refreshToken';
      const sealed = account[field];
      if (!sealed || sealed.keyId === newestKeyId) continue;
      const binding = xTokenBinding(id, kind);
      const result = await XAccountModel.updateOne(
        { _id: account._id, [`${field}.ciphertext`]: sealed.ciphertext },
        { $set: { [field]: vault.encrypt(vault.decrypt(sealed, binding), binding) } },
      );
      rotated += result.modifiedCount;
    }
  }
  return rotated;
}
