import axios from 'axios';
import { parseFeed } from 'feedsmith';
import { guardedAgents, refusalOfUrl, type DestinationRules } from '../platform/http/outbound-destinations';

/** One entry of a feed, whatever its format. */
export interface FeedEntry {
  /** The guid (RSS), id (Atom, JSON Feed), or else the link: what makes the entry the same on every read. */
  key: string;
  title: string;
  link: string | null;
  summary: string;
  publishedAt: Date | null;
}

export type FeedRead = { ok: true; entries: FeedEntry[] } | { ok: false; problem: string };

export interface FeedReaderOptions {
  rules: DestinationRules;
  timeoutMs: number;
  maxBytes: number;
  retries: number;
  retryBaseMs?: number;
}

/** At most this many entries of one read are looked at: the newest of any sensible feed. */
const maxEntries = 100;
/** A link an entry may carry on: an absolute http(s) URL, nothing else (a `javascript:` or `data:` link is dropped). */
function webLinkOf(value: string | undefined): string | null {
  const text = value?.trim();
  if (!text || !URL.canParse(text)) return null;
  const { protocol } = new URL(text);
  return protocol === 'http:' || protocol === 'https:' ? text : null;
}
const plain = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Reads a feed URL as untrusted input: every address the connection may use is checked (SSRF), the whole read has a
 * deadline and a size limit, a redirect is not followed (its target was never checked), and only no answer or a 5xx
 * is tried again, a bounded number of times. Every failure is answered as a problem an admin can read, never thrown.
 */
export function createFeedReader({
  rules,
  timeoutMs,
  maxBytes,
  retries,
  retryBaseMs = 1_000,
}: FeedReaderOptions) {
  const agents = guardedAgents(rules);

  async function fetchOnce(url: string): Promise<{ body: string } | { problem: string; retry: boolean }> {
    try {
      const response = await axios.get<string>(url, {
        ...agents,
        proxy: false,
        maxRedirects: 0,
        timeout: timeoutMs,
        // axios's timeout restarts with every byte; this one bounds the whole read.
        signal: AbortSignal.timeout(timeoutMs),
        maxContentLength: maxBytes,
        responseType: 'text',
        transformResponse: (data: unknown) => data,
        validateStatus: () => true,
        headers: {
          Accept:
            'application/rss+xml, application/atom+xml, application/feed+json, application/xml, */*;q=0.5',
          'User-Agent': 'Pagewire-Autoposting/1',
        },
      });
      const status = response.status;
      if (status >= 200 && status < 300) return { body: String(response.data ?? '') };
      if (status >= 300 && status < 400) {
        const location = String(response.headers.location ?? 'nowhere');
        return { problem: `The feed redirects to ${location}; use that URL instead.`, retry: false };
      }
      return { problem: `The feed's server answered ${status}.`, retry: status >= 500 };
    } catch (error) {
      const cause = (error as { cause?: Error }).cause;
      if (cause?.name === 'RefusedDestination' || (error as Error).name === 'RefusedDestination')
        return { problem: `Refused: ${(cause ?? (error as Error)).message}`, retry: false };
      if ((error as Error).message.includes('maxContentLength'))
        return { problem: `The feed is larger than ${maxBytes} bytes.`, retry: false };
      if (axios.isAxiosError(error) && (error.code === 'ECONNABORTED' || error.code === 'ERR_CANCELED'))
        return { problem: `The feed did not answer within ${timeoutMs} ms.`, retry: true };
      return { problem: `The feed could not be read: ${(error as Error).message}`, retry: true };
    }
  }

  return async function readFeed(url: string): Promise<FeedRead> {
    const refusal = refusalOfUrl(url, rules);
    if (refusal) return { ok: false, problem: `Refused: ${refusal}` };
    let attempt = await fetchOnce(url);
    for (let retry = 0; retry < retries && 'problem' in attempt && attempt.retry; retry++) {
      await new Promise((resolve) => setTimeout(resolve, retryBaseMs * 2 ** retry));
      attempt = await fetchOnce(url);
    }
    if ('problem' in attempt) return { ok: false, problem: attempt.problem };
    return entriesOf(attempt.body);
  };
}

export type FeedReader = ReturnType<typeof createFeedReader>;

/** The entries of an RSS, RDF, Atom or JSON Feed document, parsed by feedsmith; anything else is a problem. */
export function entriesOf(body: string): FeedRead {
  let parsed: ReturnType<typeof parseFeed>;
  try {
    parsed = parseFeed(body);
  } catch (error) {
    return { ok: false, problem: `Not an RSS, Atom or JSON feed (${(error as Error).message}).` };
  }
  const raw = rawEntriesOf(parsed);
  const entries = raw.slice(0, maxEntries).flatMap((entry): FeedEntry[] => {
    const link = webLinkOf(entry.link);
    const key = (entry.id?.trim() || link)?.trim();
    if (!key) return [];
    const published =
      typeof entry.published === 'string' || entry.published instanceof Date
        ? new Date(entry.published)
        : null;
    return [
      {
        key: key.slice(0, 1_000),
        title: plain(entry.title ?? '').slice(0, 500),
        link,
        summary: plain(entry.summary ?? '').slice(0, 1_000),
        publishedAt: published && !Number.isNaN(published.getTime()) ? published : null,
      },
    ];
  });
  return { ok: true, entries };
}

interface RawEntry {
  id?: string | undefined;
  link?: string | undefined;
  title?: string | undefined;
  summary?: string | undefined;
  /** feedsmith leaves dates as the feed wrote them. */
  published?: unknown;
}

/** feedsmith keeps each format's own shapes; Atom's texts are `{ value }`. */
const textOf = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : value && typeof value === 'object' && 'value' in value
      ? String((value as { value: unknown }).value)
      : undefined;

function rawEntriesOf(parsed: ReturnType<typeof parseFeed>): RawEntry[] {
  switch (parsed.format) {
    case 'rss':
      return (parsed.feed.items ?? []).map((item) => ({
        id: textOf(item.guid),
        link: item.link,
        title: item.title,
        summary: item.description,
        published: item.pubDate,
      }));
    case 'rdf':
      return (parsed.feed.items ?? []).map((item) => ({
        link: item.link,
        title: item.title,
        summary: item.description,
      }));
    case 'atom':
      return (parsed.feed.entries ?? []).map((entry) => ({
        id: entry.id,
        link: (entry.links?.find((link) => !link.rel || link.rel === 'alternate') ?? entry.links?.[0])?.href,
        title: textOf(entry.title),
        summary: textOf(entry.summary) ?? textOf(entry.content),
        published: entry.published ?? entry.updated,
      }));
    case 'json':
      return (parsed.feed.items ?? []).map((item) => ({
        id: item.id,
        link: item.url,
        title: item.title,
        summary: item.summary ?? item.content_text ?? item.content_html,
        published: item.date_published,
      }));
  }
}
