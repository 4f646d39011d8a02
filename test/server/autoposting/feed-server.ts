import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFeed {
  status?: number;
  contentType?: string;
  body: string;
  /** Sends the headers and the first bytes, then nothing more. */
  stall?: boolean;
}

export interface FeedServer {
  /** `http://127.0.0.1:{port}` */
  url: string;
  /** What `GET {path}` answers from now on; a function is given the number of the read, from 1. */
  serve(path: string, feed: ServedFeed | ((read: number) => ServedFeed)): void;
  /** How many times each path was asked for. */
  reads(path: string): number;
  stop(): Promise<void>;
}

/** A local HTTP server playing the sites whose feeds autoposting reads. */
export async function startFeedServer(): Promise<FeedServer> {
  const feeds = new Map<string, ServedFeed | ((read: number) => ServedFeed)>();
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    const read = (counts.get(path) ?? 0) + 1;
    counts.set(path, read);
    const served = feeds.get(path);
    const feed = typeof served === 'function' ? served(read) : served;
    if (!feed) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(feed.status ?? 200, { 'Content-Type': feed.contentType ?? 'application/rss+xml' });
    if (feed.stall) res.write(feed.body.slice(0, 10));
    else res.end(feed.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    serve: (path, feed) => void feeds.set(path, feed),
    reads: (path) => counts.get(path) ?? 0,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Entry {
  guid?: string;
  title: string;
  link?: string;
}

const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An RSS 2.0 document with the entries in the order given. */
export function rss(entries: Entry[]): string {
  const items = entries
    .map(
      (entry) =>
        `<item><title>${escaped(entry.title)}</title>${entry.link ? `<link>${escaped(entry.link)}</link>` : ''}${
          entry.guid ? `<guid isPermaLink="false">${escaped(entry.guid)}</guid>` : ''
        }</item>`,
    )
    .join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Shop news</title><link>https://shop.example/</link><description>News</description>${items}</channel></rss>`;
}

/** An Atom document with the entries in the order given. */
export function atom(entries: Entry[]): string {
  const items = entries
    .map(
      (entry) =>
        `<entry><title>${escaped(entry.title)}</title><id>${escaped(entry.guid ?? entry.link ?? '')}</id>${
          entry.link ? `<link href="${escaped(entry.link)}"/>` : ''
        }<updated>2026-01-01T00:00:00Z</updated></entry>`,
    )
    .join('');
  return `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Shop news</title><id>urn:shop</id><updated>2026-01-01T00:00:00Z</updated>${items}</feed>`;
}
