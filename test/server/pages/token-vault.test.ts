import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { PageModel } from '../../../models/page';
import { pageTokenBinding } from '../../../server/pages/page-access';
import { rotateSealedSecrets } from '../../../server/pages/rotate-token-keys-job';
import { createTokenVault, UnknownEncryptionKey } from '../../../server/pages/token-vault';
import { useTestDatabase } from '../../support/database';

const key = (id: string) => ({ id, key: randomBytes(32) });

describe('the token vault', () => {
  useTestDatabase();
  const oldKey = key('k1');
  const newKey = key('k2');

  it('decrypts what it encrypted, and nothing bound to another document', () => {
    const vault = createTokenVault([oldKey]);
    const sealed = vault.encrypt('EAAB-secret', 'page:a');
    expect(JSON.stringify(sealed)).not.toContain('EAAB-secret');
    expect(vault.decrypt(sealed, 'page:a')).toBe('EAAB-secret');
    expect(() => vault.decrypt(sealed, 'page:b')).toThrow();
  });

  it('refuses a ciphertext whose key is no longer configured', () => {
    const sealed = createTokenVault([oldKey]).encrypt('EAAB-secret', 'page:a');
    expect(() => createTokenVault([newKey]).decrypt(sealed, 'page:a')).toThrow(UnknownEncryptionKey);
  });

  it('after a key rotation, old tokens still decrypt and the rotation job re-encrypts them with the newest key', async () => {
    const before = createTokenVault([oldKey]);
    const pageId = new mongoose.Types.ObjectId();
    await PageModel.create({
      _id: pageId,
      workspace: new mongoose.Types.ObjectId(),
      fbPageId: '777',
      name: 'Rotating Page',
      connectedBy: new mongoose.Types.ObjectId(),
      connectedAt: new Date(),
      accessToken: before.encrypt('EAAB-rotate-me', pageTokenBinding(pageId.toString())),
    });
    const after = createTokenVault([newKey, oldKey]);

    expect(await rotateSealedSecrets(after, newKey.id)).toBe(1);
    expect(await rotateSealedSecrets(after, newKey.id)).toBe(0);

    const stored = await PageModel.findById(pageId).select('+accessToken').lean();
    expect(stored?.accessToken?.keyId).toBe('k2');
    const onlyNewKey = createTokenVault([newKey]);
    expect(onlyNewKey.decrypt(stored?.accessToken as never, pageTokenBinding(pageId.toString()))).toBe(
      'EAAB-rotate-me',
    );
  });
});
