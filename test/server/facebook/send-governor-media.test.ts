import pino from 'pino';
import type { PageCredentials, SendRequest } from '../../../server/facebook/graph-types';
import type { MessengerGateway } from '../../../server/facebook/messenger-gateway';
import { sendClassOf } from '../../../server/facebook/send-governor';
import { startSimulator, type Simulator } from '../../../simulator';
import { gatewayFor, personWhoWrote, textTo } from './graph-harness';

const logger = pino({ level: 'silent' });
const shop: PageCredentials = { pageId: '700100011', accessToken: 'EAAMediaShopToken' };
const seed = {
  pages: [{ id: shop.pageId, name: 'The Shop', accessToken: shop.accessToken, adminUserIds: [] }],
  people: [{ id: 'ana', firstName: 'Ana', lastName: 'Lima' }],
};

const videoTo = (psid: string, i: number): SendRequest => ({
  recipient: { id: psid },
  messaging_type: 'RESPONSE',
  message: { attachment: { type: 'video', payload: { url: `https://cdn.example.com/clip-${i}.mp4` } } },
});

describe('audio and video, which Meta limits to 10/s per Page apart from text', () => {
  let sim: Simulator;
  let gateway: MessengerGateway;

  beforeAll(async () => {
    sim = await startSimulator({ seed });
  });
  afterAll(() => sim.stop());
  beforeEach(async () => {
    await sim.control.reset();
    // Media at Meta's own 10/s, the simulator's default.
    gateway = gatewayFor(sim, logger, { defaultRatePerSecond: 100, mediaRatePerSecond: 10 });
  });
  afterEach(() => gateway.governor.close());

  test('a broadcast of video goes out at the media rate without a single 613', async () => {
    const psid = await personWhoWrote(sim, 'ana', shop);
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => gateway.sendMessage(shop, 'broadcast', videoTo(psid, i))),
    );
    const elapsedMs = Date.now() - started;
    expect(await sim.control.violations({ pageId: shop.pageId })).toEqual([]);
    expect(await sim.control.sentMessages({ pageId: shop.pageId })).toHaveLength(30);
    // 30 at 10/s: the first goes at once, the last no sooner than 2.9 s later; at the text rate it would be 0.3 s.
    // (How close to 10/s it gets is a speed, for the benchmarks.)
    expect(elapsedMs).toBeGreaterThan(2500);
  });

  test('text queued behind a video backlog is not held up by it', async () => {
    const psid = await personWhoWrote(sim, 'ana', shop);
    let videosLeft = 20;
    const videos = Array.from({ length: 20 }, (_, i) =>
      gateway.sendMessage(shop, 'broadcast', videoTo(psid, i)).finally(() => (videosLeft -= 1)),
    );
    await Promise.all(Array.from({ length: 10 }, () => gateway.sendMessage(shop, 'broadcast', textTo(psid))));
    // The videos take two seconds at 10/s whatever the machine does; the text did not wait for them.
    expect(videosLeft).toBeGreaterThan(0);
    await Promise.all(videos);
    expect(await sim.control.violations({ pageId: shop.pageId })).toEqual([]);
  });
});

test('audio and video count as media; text, images and files as text', () => {
  const attachment = (type: 'audio' | 'video' | 'image' | 'file') =>
    sendClassOf({ message: { attachment: { type, payload: { url: 'https://cdn.example.com/x' } } } });
  expect([attachment('audio'), attachment('video'), attachment('image'), attachment('file')]).toEqual([
    'media',
    'media',
    'text',
    'text',
  ]);
  expect(sendClassOf({ message: { text: 'Hi' } })).toBe('text');
});
