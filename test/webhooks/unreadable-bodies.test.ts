import { createHmac } from 'node:crypto';
import request from 'supertest';
import { ConversationModel } from '../../models/conversation';
import { MessageModel } from '../../models/message';
import { WebhookEvent } from '../../models/webhook-event';
import { useLiveChatWorld } from '../server/livechat/livechat-world';

/** Signed bodies Meta would never send: each is answered 200 or 400, never 500, and never half-stored. */
describe('signed webhook bodies the handlers cannot read', () => {
  const world = useLiveChatWorld();
  let psid: string;

  beforeAll(async () => {
    psid = await world.simulator.control.psidFor('p1', '2001');
  });
  beforeEach(async () => {
    await world.app.server().webhooks.processor.idle();
    await Promise.all([
      WebhookEvent.deleteMany({}),
      MessageModel.deleteMany({}),
      ConversationModel.deleteMany({}),
    ]);
  });

  const post = (body: string) =>
    request(world.app.url)
      .post('/webhooks/facebook')
      .set('content-type', 'application/json')
      .set(
        'x-hub-signature-256',
        `sha256=${createHmac('sha256', world.simulator.appSecret).update(body).digest('hex')}`,
      )
      .send(body);

  const messageItem = (mid: string, message: Record<string, unknown> = { text: mid }) => ({
    sender: { id: psid },
    recipient: { id: '2001' },
    timestamp: Date.now(),
    message: { mid, ...message },
  });
  const pageBody = (...messaging: unknown[]) =>
    JSON.stringify({ object: 'page', entry: [{ id: '2001', time: Date.now(), messaging }] });

  const inboxTexts = async () => {
    await world.app.server().webhooks.processor.idle();
    return (await MessageModel.find({}).lean()).map((message) => message.text).sort();
  };
  const storedKeys = async () => (await WebhookEvent.find({}).lean()).map((event) => event.key).sort();

  it.each(['user', 'instagram', 'whatsapp_business_account'])(
    'a Page-shaped body for object "%s" is acknowledged with 200, stored nowhere and never in the inbox',
    async (object) => {
      const body = JSON.parse(pageBody(messageItem(`m_${object}`))) as Record<string, unknown>;
      const res = await post(JSON.stringify({ ...body, object }));
      expect(res.status).toBe(200);
      expect(await storedKeys()).toEqual([]);
      expect(await inboxTexts()).toEqual([]);
      expect(await ConversationModel.countDocuments()).toBe(0);
      expect(world.app.logs()).toContain('webhook for another product dropped');
    },
  );

  it('5,000 levels of nesting never reach the store: the item is dropped, the rest stored, the app answers on', async () => {
    // Built as text: JSON.stringify itself overflows the stack on 5,000 levels.
    const deep = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    const body = pageBody(
      messageItem('m_deep', { text: 'deep', extra: '<deep>' }),
      messageItem('m_shallow'),
    ).replace('"<deep>"', deep);
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(await storedKeys()).toEqual(['message:m_shallow']);
    expect(await inboxTexts()).toEqual(['m_shallow']);
    expect(world.app.logs()).toMatch(
      /"at":"entry\[0\]\.messaging\[0\]","reason":"nested deeper than 32 levels"/,
    );

    const deepEntries = `{"object":"page","entry":[${'['.repeat(5_000)}${']'.repeat(5_000)}]}`;
    expect((await post(deepEntries)).status).toBe(200);
    const deepEnvelope = `{"object":"page","entry":[],"x":${'['.repeat(5_000)}${']'.repeat(5_000)}}`;
    expect((await post(deepEnvelope)).status).toBe(200);
    expect((await request(world.app.url).get('/healthz')).status).toBe(200);
  });

  const unreadable: [string, () => Record<string, unknown>, string][] = [
    ['message.text as nested arrays', () => messageItem('m_bad', { text: [[['x']], [[1]]] }), 'message.text'],
    ['message.text as a number', () => messageItem('m_bad', { text: 42 }), 'message.text'],
    ['message.text as an object', () => messageItem('m_bad', { text: { a: 'b' } }), 'message.text'],
    ['attachments as a string', () => messageItem('m_bad', { attachments: 'image' }), 'message.attachments'],
    [
      'an attachment url as an array',
      () => messageItem('m_bad', { attachments: [{ type: 'image', payload: { url: ['x'] } }] }),
      'message.attachments.0.payload.url',
    ],
    [
      'a quick reply payload as an object',
      () => messageItem('m_bad', { quick_reply: { payload: {} } }),
      'message.quick_reply.payload',
    ],
    [
      'a message without a mid',
      () => ({ ...messageItem('m_bad'), message: { text: 'no mid' } }),
      'message.mid',
    ],
    ['a sender id as a number', () => ({ ...messageItem('m_bad'), sender: { id: 2001 } }), 'sender.id'],
    ['a timestamp past year 9999', () => ({ ...messageItem('m_bad'), timestamp: 1e20 }), 'timestamp'],
    ['a timestamp as a string', () => ({ ...messageItem('m_bad'), timestamp: 'yesterday' }), 'timestamp'],
    ['a key starting with $', () => messageItem('m_bad', { $where: 'sleep(1)' }), 'key with'],
    ['a key with a dot', () => messageItem('m_bad', { 'a.b': 1 }), 'key with'],
    [
      'an array inside an array in an unknown field',
      () => messageItem('m_bad', { extra: [[1]] }),
      'array directly inside',
    ],
    [
      'a read watermark as a string',
      () => ({ sender: { id: psid }, recipient: { id: '2001' }, read: { watermark: 'x' } }),
      'read.watermark',
    ],
    [
      'a postback title as an array',
      () => ({ sender: { id: psid }, postback: { title: ['Go'], payload: 'GO' } }),
      'postback.title',
    ],
  ];

  it.each(unreadable)(
    '%s: the item is dropped with its reason, the good item beside it is stored and reaches the inbox',
    async (_name, bad, reason) => {
      const res = await post(pageBody(bad(), messageItem('m_good')));
      expect(res.status).toBe(200);
      expect(await storedKeys()).toEqual(['message:m_good']);
      expect(await inboxTexts()).toEqual(['m_good']);
      const drops = world.app
        .logs()
        .split('\n')
        .filter(
          (line) => line.includes('webhook item dropped') && line.includes('"at":"entry[0].messaging[0]"'),
        );
      expect(drops.at(-1)).toContain(reason);
    },
  );

  it('a feed comment whose message is an array is dropped; the good comment beside it is stored', async () => {
    const comment = (commentId: string, message: unknown) => ({
      field: 'feed',
      value: {
        item: 'comment',
        verb: 'add',
        comment_id: commentId,
        post_id: '2001_1',
        parent_id: '2001_1',
        from: { id: psid, name: 'Pia' },
        message,
        created_time: Math.floor(Date.now() / 1000),
      },
    });
    const body = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: '2001',
          time: Math.floor(Date.now() / 1000),
          changes: [comment('2001_1_bad', [['x']]), comment('2001_1_good', 'Price?')],
        },
      ],
    });
    expect((await post(body)).status).toBe(200);
    expect(await storedKeys()).toEqual(['feed:comment:2001_1_good:add']);
  });

  it('an entry that is not an entry is dropped and the other entries are stored', async () => {
    const good = JSON.parse(pageBody(messageItem('m_good'))) as { entry: unknown[] };
    const body = JSON.stringify({ object: 'page', entry: [{ id: 2001, messaging: [] }, 'x', ...good.entry] });
    expect((await post(body)).status).toBe(200);
    expect(await storedKeys()).toEqual(['message:m_good']);
  });

  it('a signed body that is not an envelope at all is answered 400 and stores nothing', async () => {
    for (const body of ['[]', '"page"', '{"object":"page","entry":{}}', '{"object":["page"],"entry":[]}']) {
      expect((await post(body)).status).toBe(400);
    }
    expect(await storedKeys()).toEqual([]);
  });
});
