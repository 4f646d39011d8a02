import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { PageModel } from '../../../models/page';
import { createPageAccess, pageTokenBinding } from '../../../server/pages/page-access';
import { NotFound } from '../../../server/platform/errors';
import { createTokenVault } from '../../../server/pages/token-vault';
import { useTestDatabase } from '../../support/database';

describe("a Page's send credentials", () => {
  useTestDatabase();
  const vault = createTokenVault([{ id: 'k1', key: randomBytes(32) }]);
  let workspaceId: mongoose.Types.ObjectId;
  let pageId: mongoose.Types.ObjectId;
  const sealed = (token: string) => vault.encrypt(token, pageTokenBinding(String(pageId)));

  beforeEach(async () => {
    workspaceId = new mongoose.Types.ObjectId();
    pageId = new mongoose.Types.ObjectId();
    await PageModel.create({
      _id: pageId,
      workspace: workspaceId,
      fbPageId: '4242',
      name: 'Credentials Page',
      connectedBy: new mongoose.Types.ObjectId(),
      connectedAt: new Date(),
      accessToken: sealed('EAAB-first'),
    });
  });

  const credentialsOf = (access: ReturnType<typeof createPageAccess>) =>
    access.getSendCredentials(String(workspaceId), String(pageId));

  it('the token stored last is the one the next call gets, and a disconnected Page has none at once', async () => {
    const access = createPageAccess(vault);
    expect(await credentialsOf(access)).toEqual({ pageId: '4242', accessToken: 'EAAB-first' });

    await PageModel.updateOne({ _id: pageId }, { $set: { accessToken: sealed('EAAB-second') } });
    expect(await credentialsOf(access)).toEqual({ pageId: '4242', accessToken: 'EAAB-second' });

    await PageModel.updateOne({ _id: pageId }, { $set: { connected: false } });
    await expect(credentialsOf(access)).rejects.toBeInstanceOf(NotFound);
  });

  it('is read once for many calls: a change that bypasses this process shows within two seconds', async () => {
    const access = createPageAccess(vault);
    await credentialsOf(access);
    // As another process without a relay would write it: this process hears nothing of it.
    await PageModel.collection.updateOne(
      { _id: pageId },
      { $set: { accessToken: sealed('EAAB-elsewhere') } },
    );
    expect((await credentialsOf(access)).accessToken).toBe('EAAB-first');
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await credentialsOf(access)).accessToken).toBe('EAAB-elsewhere');
  });

  it('another workspace asking for the Page gets nothing, even while the owner has it in memory', async () => {
    const access = createPageAccess(vault);
    await credentialsOf(access);
    await expect(
      access.getSendCredentials(String(new mongoose.Types.ObjectId()), String(pageId)),
    ).rejects.toBeInstanceOf(NotFound);
  });
});
