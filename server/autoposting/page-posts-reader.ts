import type { GraphClient } from '../facebook/graph-client';
import type { PagePost } from '../facebook/graph-types';
import type { PageAccess } from '../pages/page-access';
import type { FeedEntry, FeedRead } from './feed-reader';
import { within } from './within';

/** The newest posts looked at on each read: Graph's largest page of `published_posts`. */
const postsPerRead = 100;
const titleLength = 500;

/** A Page post as a feed entry: its id is what makes it the same post on every read. */
function entryOfPost(post: PagePost): FeedEntry {
  const publishedAt = new Date(post.createdAt);
  return {
    key: post.id,
    title: within((post.message ?? '').trim(), titleLength),
    link: post.permalinkUrl,
    summary: '',
    publishedAt: Number.isNaN(publishedAt.getTime()) ? null : publishedAt,
  };
}

/**
 * Reads a connected Page's own posts, newest first, through the Graph client with the Page's token
 * (`GET /{page-id}/published_posts`, docs/messenger-platform.md §5). A refusal is answered as a problem, never thrown.
 */
export function createPagePostsReader(deps: {
  graph: Pick<GraphClient, 'listPublishedPosts'>;
  pageAccess: Pick<PageAccess, 'getSendCredentials'>;
}) {
  return async function readPagePosts(workspaceId: string, pageId: string): Promise<FeedRead> {
    try {
      const credentials = await deps.pageAccess.getSendCredentials(workspaceId, pageId);
      const posts = await deps.graph.listPublishedPosts(credentials, postsPerRead);
      return { ok: true, entries: posts.map(entryOfPost) };
    } catch (error) {
      return { ok: false, problem: `The Page's posts could not be read: ${(error as Error).message}` };
    }
  };
}

export type PagePostsReader = ReturnType<typeof createPagePostsReader>;
