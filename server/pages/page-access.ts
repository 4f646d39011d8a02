import { isValidObjectId } from 'mongoose';
import { PageModel } from '../../models/page';
import type { PageCredentials } from '../facebook/graph-types';
import { isAutomationPaused, pauseAutomation, resumeAutomation } from './automation-pause';
import { scopeKey, type EventScope } from '../../webhooks/event-scope';
import { NotFound } from '../platform/errors';
import { createProcessCache } from '../platform/process-cache';
import type { StoredPage } from './page-view';
import type { EncryptedSecret, TokenVault } from './token-vault';

export const pageTokenBinding = (pageId: string) => `page:${pageId}`;

/** The connected copies of a Facebook Page, read once per webhook event whichever feature asks first. */
export const connectedPagesFor = (
  scope: EventScope,
  pageAccess: Pick<PageAccess, 'findConnectedByFbPageId'>,
  fbPageId: string,
): Promise<StoredPage[]> =>
  scope.once(scopeKey<StoredPage[]>(`connected-pages:${fbPageId}`), () =>
    pageAccess.findConnectedByFbPageId(fbPageId),
  );

/**
 * How other features reach a Page: the send credentials (the only place a Page token is decrypted), the webhook
 * lookup, whether automated sends are allowed right now, and the pause reasons other features learn of.
 */
export interface PageAccess {
  /** The Facebook page id and decrypted token for a Graph call; NotFound unless connected in this workspace. */
  getSendCredentials(workspaceId: string, pageId: string): Promise<PageCredentials>;
  /** Every connected copy of a Facebook Page, across workspaces: webhook dispatch fans an event out to each. */
  findConnectedByFbPageId(fbPageId: string): Promise<StoredPage[]>;
  /** False while the Page is disconnected or any pause reason holds: bots, captures and broadcasts must wait. */
  isSendingAllowed(page: Pick<StoredPage, 'connected' | 'automationPauses'>): boolean;
  /** For features that learn of a reason themselves (Meta's policy enforcement); see automation-pause.ts. */
  pauseAutomation: typeof pauseAutomation;
  resumeAutomation: typeof resumeAutomation;
}

export function createPageAccess(vault: TokenVault): PageAccess {
  // Every webhook event asks; a Page changes seldom. Another process's change (a pause, a disconnection) shows here
  // within the lifetime; any write to a Page in this process (or, with Redis, in any) empties the copies at once.
  const keptLikeAPage = { ttlMs: 2_000, max: 10_000, forgetOnWritesTo: ['pages'] };
  const connectedCopies = createProcessCache<StoredPage[]>(keptLikeAPage);
  async function rotateIfStale(pageId: string, sealed: EncryptedSecret, plain: string): Promise<void> {
    if (vault.isSealedWithNewestKey(sealed)) return;
    const resealed = vault.encrypt(plain, pageTokenBinding(pageId));
    // Only if nobody stored a newer token meanwhile.
    await PageModel.updateOne(
      { _id: pageId, 'accessToken.ciphertext': sealed.ciphertext },
      { $set: { accessToken: resealed } },
    );
  }

  async function readSendCredentials(workspaceId: string, pageId: string): Promise<PageCredentials> {
    const page = await PageModel.findOne({ _id: pageId, workspace: workspaceId, connected: true })
      .select('+accessToken')
      .lean();
    if (!page?.accessToken) throw new NotFound('No such connected Page.');
    const accessToken = vault.decrypt(page.accessToken, pageTokenBinding(pageId));
    await rotateIfStale(pageId, page.accessToken, accessToken);
    return Object.freeze({ pageId: page.fbPageId, accessToken });
  }
  // Asked before every send and every profile read: reading the Page and decrypting its token each time was about a
  // tenth of what a person's first message cost the app (BENCHMARKS.md, "2026-12-05, later"). Kept as the connected
  // copies are, so a new token or a disconnection is seen as soon as they see it.
  const sendCredentials = createProcessCache<PageCredentials>(keptLikeAPage);

  return {
    getSendCredentials(workspaceId, pageId) {
      if (!isValidObjectId(pageId)) return Promise.reject(new NotFound('No such Page.'));
      return sendCredentials.get(`${workspaceId}:${pageId}`, () => readSendCredentials(workspaceId, pageId));
    },

    findConnectedByFbPageId: (fbPageId) =>
      connectedCopies.get(fbPageId, () => PageModel.find({ fbPageId, connected: true }).lean<StoredPage[]>()),

    isSendingAllowed: (page) => page.connected && !isAutomationPaused(page),
    pauseAutomation,
    resumeAutomation,
  };
}
