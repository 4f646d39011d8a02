import type { AutopostFeedRecord } from '../../models/autopost-feed';
import type { FeedRead, FeedReader } from './feed-reader';
import type { PagePostsReader } from './page-posts-reader';

/**
 * Reads a feed's source, whichever it is, as entries: only the reading differs between sources; what becomes of a
 * new entry (poll-feed.ts, deliveries.ts) is the same for all.
 */
export type SourceReader = (feed: AutopostFeedRecord) => Promise<FeedRead>;

export function createSourceReader(readers: {
  readFeed: FeedReader;
  readPagePosts: PagePostsReader;
}): SourceReader {
  return (feed) => {
    if (feed.source === 'page_posts') {
      if (!feed.sourcePage) return Promise.resolve({ ok: false, problem: 'The feed names no Page to read.' });
      return readers.readPagePosts(String(feed.workspace), String(feed.sourcePage));
    }
    if (!feed.url) return Promise.resolve({ ok: false, problem: 'The feed has no URL.' });
    return readers.readFeed(feed.url);
  };
}
