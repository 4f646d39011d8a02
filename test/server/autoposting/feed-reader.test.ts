import { createFeedReader, entriesOf } from '../../../server/autoposting/feed-reader';
import { atom, rss, startFeedServer, type FeedServer } from './feed-server';

const jsonFeed = JSON.stringify({
  version: 'https://jsonfeed.org/version/1.1',
  title: 'Shop',
  items: [
    { id: 'j1', url: 'https://shop.example/j1', title: 'JSON item', date_published: '2026-01-01T00:00:00Z' },
  ],
});
const rdf = `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://shop.example/"><title>Shop</title><link>https://shop.example/</link><description>News</description></channel><item rdf:about="https://shop.example/r1"><title>RDF item</title><link>https://shop.example/r1</link></item></rdf:RDF>`;
const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]><rss version="2.0"><channel><title>t</title><link>https://x.example/</link><description>d</description><item><title>&lol9;</title><guid>laughs</guid></item></channel></rss>`;

describe('feed entries', () => {
  it.each([
    [
      'RSS, by guid',
      rss([{ guid: 'g1', title: 'RSS item', link: 'https://shop.example/1' }]),
      'g1',
      'RSS item',
    ],
    [
      'RSS without guid, by link',
      rss([{ title: 'Linked', link: 'https://shop.example/l' }]),
      'https://shop.example/l',
      'Linked',
    ],
    [
      'Atom, by id',
      atom([{ guid: 'urn:a1', title: 'Atom item', link: 'https://shop.example/a1' }]),
      'urn:a1',
      'Atom item',
    ],
    ['JSON Feed, by id', jsonFeed, 'j1', 'JSON item'],
    ['RDF, by link', rdf, 'https://shop.example/r1', 'RDF item'],
  ])('%s', (_format, body, key, title) => {
    const read = entriesOf(body);
    expect(read).toMatchObject({ ok: true, entries: [{ key, title }] });
  });

  it('an entry with neither guid nor link is left out, and markup is stripped from what is kept', () => {
    const read = entriesOf(rss([{ title: 'No id at all' }, { guid: 'g', title: '<b>Bold</b> & plain' }]));
    expect(read).toEqual({
      ok: true,
      entries: [expect.objectContaining({ key: 'g', title: 'Bold & plain' })],
    });
  });

  it('only an http(s) link is carried on: a javascript: or data: link is dropped', () => {
    const read = entriesOf(
      rss([
        { guid: 'script', title: 'Script', link: 'javascript:alert(document.cookie)' },
        { guid: 'data', title: 'Data', link: 'data:text/html,<script>alert(1)</script>' },
        { guid: 'web', title: 'Web', link: 'https://shop.example/w' },
        { title: 'Only a script link', link: 'javascript:void(0)' },
      ]),
    );
    expect(read).toEqual({
      ok: true,
      entries: [
        expect.objectContaining({ key: 'script', link: null }),
        expect.objectContaining({ key: 'data', link: null }),
        expect.objectContaining({ key: 'web', link: 'https://shop.example/w' }),
      ],
    });
  });

  it('entities declared in the document are not expanded (no billion laughs)', () => {
    const read = entriesOf(laughs);
    expect(read.ok).toBe(true);
    expect(JSON.stringify(read).length).toBeLessThan(1_000);
  });

  it.each([
    ['cut-off XML', '<rss><channel><item><title>cut'],
    ['HTML', '<html><body>Hello</body></html>'],
    ['JSON that is not a feed', '{"hello":"world"}'],
    ['nothing', ''],
  ])('%s is a problem, not an exception', (_what, body) => {
    expect(entriesOf(body)).toEqual({
      ok: false,
      problem: expect.stringMatching(/^Not an RSS, Atom or JSON feed/),
    });
  });
});

describe('reading a feed over HTTP', () => {
  let feeds: FeedServer;
  beforeAll(async () => {
    feeds = await startFeedServer();
  });
  afterAll(() => feeds.stop());
  const reader = (retries: number) =>
    createFeedReader({
      rules: { allowPrivate: true, httpsOnly: false },
      timeoutMs: 1_000,
      maxBytes: 10_000,
      retries,
      retryBaseMs: 10,
    });
  const good = { body: rss([{ guid: 'g', title: 'Fine' }]) };

  it('no answer or a 5xx is tried again, a bounded number of times', async () => {
    feeds.serve('/flaky.xml', (read) => (read === 1 ? { status: 503, body: 'busy' } : good));
    expect(await reader(1)(`${feeds.url}/flaky.xml`)).toMatchObject({ ok: true, entries: [{ key: 'g' }] });

    feeds.serve('/down.xml', { status: 502, body: 'down' });
    expect(await reader(2)(`${feeds.url}/down.xml`)).toEqual({
      ok: false,
      problem: "The feed's server answered 502.",
    });
    expect(feeds.reads('/down.xml')).toBe(3);
  });

  it('a 404 or a redirect is not tried again, and a redirect is not followed', async () => {
    expect(await reader(2)(`${feeds.url}/missing.xml`)).toEqual({
      ok: false,
      problem: "The feed's server answered 404.",
    });
    expect(feeds.reads('/missing.xml')).toBe(1);
    feeds.serve('/moved.xml', { status: 301, body: '' });
    const moved = await reader(2)(`${feeds.url}/moved.xml`);
    expect(moved).toMatchObject({ ok: false, problem: expect.stringMatching(/redirects/) });
    expect(feeds.reads('/moved.xml')).toBe(1);
  });

  it('a feed that stalls ends at the deadline', async () => {
    feeds.serve('/stalls.xml', { ...good, stall: true });
    expect(await reader(0)(`${feeds.url}/stalls.xml`)).toEqual({
      ok: false,
      problem: 'The feed did not answer within 1000 ms.',
    });
  });
});
