import { Router } from 'express';
import { isValidObjectId, type Types } from 'mongoose';
import twitter from 'twitter-text';
import { XPostLinkModel } from '../../models/x-post';
import { isDuplicateKey } from '../platform/database/duplicate-key';
import { NotFound } from '../platform/errors';

export const xTrackedLinkPath = '/r/x';

/**
 * Replaces each link of a post with its tracked link, `/r/x/<link>`; X counts every link as 23 characters, so the
 * length the owner saw does not change. The same URL in the same post gets the same link however often it is prepared.
 */
export async function withTrackedLinks(
  post: { _id: Types.ObjectId; workspace: Types.ObjectId; text: string },
  publicUrl: string,
): Promise<string> {
  const found = twitter.extractUrlsWithIndices(post.text);
  let text = post.text;
  for (const { url, indices } of [...found].reverse()) {
    const target = /^https?:\/\//i.test(url) ? url : `https://${url}`;
    const link = await linkFor(post, target);
    text = `${text.slice(0, indices[0])}${publicUrl}${xTrackedLinkPath}/${link._id.toString()}${text.slice(indices[1])}`;
  }
  return text;
}

async function linkFor(post: { _id: Types.ObjectId; workspace: Types.ObjectId }, url: string) {
  try {
    return await XPostLinkModel.create({ workspace: post.workspace, post: post._id, url });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const existing = await XPostLinkModel.findOne({ post: post._id, url }).lean();
    if (!existing) throw error;
    return existing;
  }
}

/**
 * `/r/x/<link>`: one more click on the link, and a 302 to its stored URL only (never an open redirect). Nothing about
 * who clicked is kept. A HEAD (link previews, crawlers) is redirected without counting.
 */
export function createXTrackedLinksRouter(): Router {
  const router = Router();
  router.get('/:linkId', async (req, res) => {
    const { linkId } = req.params;
    if (!isValidObjectId(linkId)) throw new NotFound('No such link.');
    const link =
      req.method === 'HEAD'
        ? await XPostLinkModel.findById(linkId).lean()
        : await XPostLinkModel.findOneAndUpdate({ _id: linkId }, { $inc: { clicks: 1 } }).lean();
    if (!link) throw new NotFound('No such link.');
    res.redirect(302, link.url);
  });
  return router;
}
