import { Router } from 'express';
import { Types } from 'mongoose';
import { BroadcastClickModel, BroadcastLinkModel } from '../../models/broadcast-link';
import { BroadcastRecipientModel } from '../../models/broadcast-recipient';
import type { Clock } from '../platform/clock';
import { isDuplicateKey } from '../platform/database/duplicate-key';
import { NotFound } from '../platform/errors';

/**
 * `/r/<recipient>.<link>`: records the click once per recipient and link (a unique insert) and redirects with a 302
 * to the link's stored URL only, so the route can never be used as an open redirect.
 */
export function createTrackedLinksRouter(clock: Clock): Router {
  const router = Router();
  router.get('/:token', async (req, res) => {
    const [recipientId, linkId] = String(req.params.token).split('.');
    if (!recipientId || !linkId || !Types.ObjectId.isValid(recipientId) || !Types.ObjectId.isValid(linkId)) {
      throw new NotFound('No such link.');
    }
    const [link, recipient] = await Promise.all([
      BroadcastLinkModel.findById(linkId).lean(),
      BroadcastRecipientModel.findById(recipientId).select({ broadcast: 1, page: 1 }).lean(),
    ]);
    if (!link) throw new NotFound('No such link.');
    // A click can only come after the message went out, but it may beat the outcome's write by a few
    // milliseconds: the person still gets where the link leads; only that click goes uncounted.
    if (!recipient) return res.redirect(302, link.url);
    if (!link.broadcast.equals(recipient.broadcast)) throw new NotFound('No such link.');
    const at = clock.now();
    const first = await BroadcastClickModel.create({
      broadcast: link.broadcast,
      page: recipient.page,
      link: link._id,
      recipient: recipient._id,
      at,
    }).then(
      () => true,
      (error: unknown) => {
        if (isDuplicateKey(error)) return false;
        throw error;
      },
    );
    if (first) {
      await BroadcastRecipientModel.updateOne(
        { _id: recipient._id, status: { $in: ['sent', 'delivered', 'read'] } },
        { $set: { status: 'clicked', clickedAt: at } },
      );
    }
    res.redirect(302, link.url);
  });
  return router;
}
