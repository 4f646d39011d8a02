/**
 * A lived-in database for the benchmarks: a workspace with several other Pages, their subscribers, conversations and
 * message history, and the processed webhook events of the last two days, written in bulk (not through webhooks) on
 * the connected mongoose. At scale 1: 5 Pages, 100,000 subscribers, 500,000 messages, 100,000 processed events.
 *
 *   const seeded = await seedLivedInDatabase({ scale: 0.01 });   // a quick run: 1,000 subscribers
 *   const seeded = await seedLivedInDatabase({ workspace: { id, ownerId } });   // into an existing workspace
 */
import { Types } from 'mongoose';
import { ConversationModel } from '../../models/conversation';
import { MembershipModel } from '../../models/membership';
import { MessageModel, type MessageSender } from '../../models/message';
import { PageModel } from '../../models/page';
import { SubscriberModel } from '../../models/subscriber';
import { UserModel } from '../../models/user';
import { WebhookEvent } from '../../models/webhook-event';
import { WorkspaceModel } from '../../models/workspace';
import { subscribedFields } from '../../server/pages/subscribed-fields';

export interface LivedInOptions {
  /** Multiplies every count below; 0.01 is a quick run. */
  scale?: number;
  pages?: number;
  subscribers?: number;
  messages?: number;
  /** Processed webhook events kept by the clean-up job's retention (webhooks/forget-processed-job.ts): 48 h. */
  processedEvents?: number;
  /** Seed into this workspace (the bench's own agent sees the other Pages then); a new one otherwise. */
  workspace?: { id: Types.ObjectId; ownerId: Types.ObjectId };
  now?: Date;
  chunkSize?: number;
  onProgress?: (line: string) => void;
}

export interface LivedInDatabase {
  workspaceId: Types.ObjectId;
  fbPageIds: string[];
  counts: {
    pages: number;
    subscribers: number;
    conversations: number;
    messages: number;
    processedEvents: number;
  };
  seconds: number;
}

const day = 86_400_000;
const historyMs = 180 * day;
/** Inside the 48-hour retention, so the clean-up job run at the app's start keeps them. */
const recentMs = 46 * 3_600_000;

const firstNames = ['Ana', 'Ben', 'Chloé', 'Dmitri', 'Emeka', 'Fatima', 'Grace', 'Hiro', 'Inès', 'Jonas'];
const lastNames = ['Okafor', 'Silva', 'Nguyen', 'Müller', 'Rossi', 'Kowalski', 'Haddad', 'Smith', 'Tanaka'];
const inboundTexts = [
  'Hi, is this still available?',
  'What time do you open tomorrow?',
  'Can I change my order?',
  'Thanks!',
  'Do you ship to Lisbon?',
  'My parcel has not arrived yet, order #',
];
const outboundTexts = [
  'Hello! Yes, it is. Would you like to reserve one?',
  'We open at 9:00.',
  'Of course, what would you like to change?',
  'You are welcome!',
  'Our spring sale starts today: 20% off everything.',
];
const outboundSenders: MessageSender[] = ['agent', 'agent', 'bot', 'bot', 'broadcast'];

/** Deterministic, so two runs seed the same history (mulberry32). */
function randomFrom(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Inserts chunks one after another while the caller builds the next; unique-index violations fail the seed. */
function chunkWriter(collection: { insertMany(docs: object[]): Promise<unknown> }, size: number) {
  let buffer: object[] = [];
  let writing: Promise<unknown> = Promise.resolve();
  const flush = async () => {
    await writing;
    const docs = buffer;
    buffer = [];
    writing = docs.length > 0 ? collection.insertMany(docs) : Promise.resolve();
    // Awaited by the next flush; until then a failure must not count as unhandled.
    writing.catch(() => undefined);
  };
  return {
    async add(doc: object) {
      buffer.push(doc);
      if (buffer.length >= size) await flush();
    },
    async finish() {
      await flush();
      await writing;
    },
  };
}

/** The bulk writes skip mongoose's casting and validation, so a sample of the documents is validated here. */
const sampleEvery = 97;

async function validateOne(
  model: { modelName: string; new (doc: object): { validate(): Promise<void> } },
  doc: object,
) {
  await new model(doc).validate().catch((error: unknown) => {
    throw new Error(`lived-in seed: invalid ${model.modelName} document: ${String(error)}`);
  });
}

export async function seedLivedInDatabase(options: LivedInOptions = {}): Promise<LivedInDatabase> {
  const began = performance.now();
  const scale = options.scale ?? 1;
  const pageCount = options.pages ?? 5;
  const subscriberCount = Math.max(pageCount, Math.round(options.subscribers ?? 100_000 * scale));
  const messageCount = Math.max(subscriberCount, Math.round(options.messages ?? 500_000 * scale));
  const eventCount = Math.min(messageCount, Math.round(options.processedEvents ?? 100_000 * scale));
  const chunkSize = options.chunkSize ?? 5_000;
  const progress = options.onProgress ?? (() => undefined);
  const now = (options.now ?? new Date()).getTime();
  const random = randomFrom(20_260_101);

  for (const model of [PageModel, SubscriberModel, ConversationModel, MessageModel, WebhookEvent]) {
    await model.createIndexes();
  }

  let workspace = options.workspace;
  if (!workspace) {
    const owner = await UserModel.create({
      facebookUserId: `lived-in-${new Types.ObjectId().toHexString()}`,
      name: 'Olga Owner',
      email: 'olga@example.com',
    });
    const created = await WorkspaceModel.create({ name: 'Olga’s workspace', createdBy: owner._id });
    await MembershipModel.create({ workspace: created._id, user: owner._id, role: 'admin' });
    workspace = { id: created._id, ownerId: owner._id };
  }
  const { id: workspaceId, ownerId } = workspace;

  const connectedAt = new Date(now - historyMs - day);
  const pages = Array.from({ length: pageCount }, (_, p) => ({
    _id: new Types.ObjectId(),
    workspace: workspaceId,
    fbPageId: `3${String(Math.floor(random() * 1e9)).padStart(9, '0')}${String(p).padStart(5, '0')}`,
    name: `Lived-in Page ${p + 1}`,
    category: 'Shopping & retail',
    connectedBy: ownerId,
    sharing: { scope: 'workspace' },
    subscription: { subscribed: true, fields: [...subscribedFields], at: connectedAt },
    health: { status: 'ok', at: connectedAt },
    automationPauses: {},
    connected: true,
    connectedAt,
    disconnectedAt: null,
    createdAt: connectedAt,
    updatedAt: connectedAt,
  }));
  await validateOne(PageModel, pages[0]!);
  await PageModel.collection.insertMany(pages);

  // Per conversation (= per subscriber): what the conversation and subscriber documents are derived from.
  const subscriberIds = Array.from({ length: subscriberCount }, () => new Types.ObjectId());
  const conversationIds = Array.from({ length: subscriberCount }, () => new Types.ObjectId());
  const firstAt = new Float64Array(subscriberCount);
  const lastAt = new Float64Array(subscriberCount);
  const lastInboundAt = new Float64Array(subscriberCount);
  const lastMessage = new Int32Array(subscriberCount);
  const unread = new Uint16Array(subscriberCount);
  const pageOf = (c: number) => pages[c % pageCount]!;
  const psidOf = (c: number) => `71${String(c).padStart(14, '0')}`;
  const textOf = (m: number, inbound: boolean) =>
    inbound ? `${inboundTexts[m % inboundTexts.length]}${m % 6 === 5 ? m : ''}` : outboundTexts[m % 5]!;

  // Messages in time order: the older ones over 180 days, the newest `eventCount` inside the retention window
  // (each also has its processed webhook event). People join over time; recent joiners talk more.
  const timeOf = (m: number) => {
    const older = messageCount - eventCount;
    return m < older
      ? now - historyMs + (m / Math.max(1, older)) * (historyMs - recentMs)
      : now - recentMs + ((m - older) / Math.max(1, eventCount)) * (recentMs - 60_000);
  };
  const messages = chunkWriter(MessageModel.collection, chunkSize);
  const events = chunkWriter(WebhookEvent.collection, chunkSize);
  let joined = 0;
  for (let m = 0; m < messageCount; m += 1) {
    const at = timeOf(m);
    const joins = Math.floor((m * subscriberCount) / messageCount) >= joined;
    const c = joins ? joined++ : joined - 1 - Math.floor(joined * random() ** 3);
    const inbound = joins || random() < 0.5;
    const page = pageOf(c);
    const mid = `m_${page.fbPageId}_${m.toString(36)}_${Math.floor(random() * 2 ** 32).toString(36)}`;
    const text = textOf(m, inbound);
    const sender: MessageSender = inbound ? 'subscriber' : outboundSenders[m % outboundSenders.length]!;
    const occurredAt = new Date(at);
    const message = {
      _id: new Types.ObjectId(),
      workspace: workspaceId,
      page: page._id,
      conversation: conversationIds[c]!,
      subscriber: subscriberIds[c]!,
      direction: inbound ? 'inbound' : 'outbound',
      kind: 'text',
      sender,
      agent: sender === 'agent' ? ownerId : null,
      mid,
      text,
      ...(inbound ? {} : { delivery: { messagingType: sender === 'broadcast' ? 'UPDATE' : 'RESPONSE' } }),
      status: inbound ? 'received' : (['delivered', 'read', 'read', 'sent'] as const)[m % 4]!,
      occurredAt,
      createdAt: occurredAt,
      updatedAt: occurredAt,
    };
    if (m % sampleEvery === 0) await validateOne(MessageModel, message);
    await messages.add(message);

    if (joins) firstAt[c] = at;
    lastAt[c] = at;
    lastMessage[c] = m;
    if (inbound) {
      lastInboundAt[c] = at;
      unread[c] = Math.min(unread[c]! + 1, 65_535);
    } else unread[c] = 0;

    if (m >= messageCount - eventCount) {
      const item = inbound
        ? {
            sender: { id: psidOf(c) },
            recipient: { id: page.fbPageId },
            timestamp: at,
            message: { mid, text },
          }
        : {
            sender: { id: page.fbPageId },
            recipient: { id: psidOf(c) },
            timestamp: at,
            message: { mid, text, is_echo: true, app_id: 1_000_000_000_000 },
          };
      const receivedAt = new Date(at + 150);
      const processedAt = new Date(at + 180);
      const event = {
        _id: new Types.ObjectId(),
        key: `message:${mid}`,
        source: 'messaging',
        kind: inbound ? 'message' : 'echo',
        fbPageId: page.fbPageId,
        conversationKey: `${page.fbPageId}:${psidOf(c)}`,
        occurredAt,
        sequence: at * 1000,
        payload: item,
        status: 'processed',
        attempts: 1,
        nextAttemptAt: receivedAt,
        lockedUntil: null,
        lockedBy: null,
        lastError: null,
        processedAt,
        receivedAt,
        updatedAt: processedAt,
      };
      if (m % sampleEvery === 0) await validateOne(WebhookEvent, event);
      await events.add(event);
    }
    if ((m + 1) % 100_000 === 0) progress(`lived-in: ${m + 1} of ${messageCount} messages`);
  }
  await messages.finish();
  await events.finish();

  const subscribers = chunkWriter(SubscriberModel.collection, chunkSize);
  const conversations = chunkWriter(ConversationModel.collection, chunkSize);
  for (let c = 0; c < subscriberCount; c += 1) {
    const page = pageOf(c);
    const firstName = firstNames[c % firstNames.length]!;
    const lastName = lastNames[Math.floor(c / firstNames.length) % lastNames.length]!;
    const roll = random();
    const status = roll < 0.03 ? 'unsubscribed' : roll < 0.04 ? 'blocked' : 'subscribed';
    const subscriber = {
      _id: subscriberIds[c]!,
      workspace: workspaceId,
      page: page._id,
      fbPageId: page.fbPageId,
      psid: psidOf(c),
      firstName,
      lastName,
      searchName: `${firstName} ${lastName}`.toLowerCase(),
      profilePic: `https://platform-lookaside.fbsbx.com/platform/profilepic/?psid=${psidOf(c)}`,
      profile: { state: 'fetched', fetchedAt: new Date(firstAt[c]!) },
      optIn: { source: 'message', at: new Date(firstAt[c]!) },
      lastInteractionAt: new Date(lastInboundAt[c]!),
      lastUserMessageAt: new Date(lastInboundAt[c]!),
      status,
      ...(status === 'unsubscribed'
        ? { unsubscribed: { at: new Date(lastAt[c]!), reason: 'The person sent STOP.', cause: 'opt_out' } }
        : {}),
      ...(status === 'blocked'
        ? {
            unsubscribed: {
              at: new Date(lastAt[c]!),
              reason: '(#551) This person isn’t available right now.',
              cause: 'unreachable',
            },
          }
        : {}),
      tags: roll < 0.2 ? ['customer'] : roll < 0.25 ? ['customer', 'vip'] : [],
      customFields: roll < 0.2 ? { city: 'Lisbon' } : {},
      createdAt: new Date(firstAt[c]!),
      updatedAt: new Date(lastAt[c]!),
    };
    const inbound = lastInboundAt[c] === lastAt[c];
    const conversation = {
      _id: conversationIds[c]!,
      workspace: workspaceId,
      page: page._id,
      subscriber: subscriberIds[c]!,
      psid: psidOf(c),
      subscriberName: `${firstName} ${lastName}`,
      status: !inbound && lastAt[c]! < now - 2 * day ? 'resolved' : 'open',
      assignee: roll < 0.3 ? ownerId : null,
      claimedBy: null,
      claimedAt: null,
      humanActiveUntil: null,
      unreadCount: unread[c]!,
      lastMessage: {
        preview: textOf(lastMessage[c]!, inbound),
        at: new Date(lastAt[c]!),
        direction: inbound ? 'inbound' : 'outbound',
      },
      lastMessageAt: new Date(lastAt[c]!),
      createdAt: new Date(firstAt[c]!),
      updatedAt: new Date(lastAt[c]!),
    };
    if (c % sampleEvery === 0) {
      await validateOne(SubscriberModel, subscriber);
      await validateOne(ConversationModel, conversation);
    }
    await subscribers.add(subscriber);
    await conversations.add(conversation);
  }
  await subscribers.finish();
  await conversations.finish();

  const seconds = (performance.now() - began) / 1000;
  progress(`lived-in: seeded in ${seconds.toFixed(1)} s`);
  return {
    workspaceId,
    fbPageIds: pages.map((page) => page.fbPageId),
    counts: {
      pages: pageCount,
      subscribers: subscriberCount,
      conversations: subscriberCount,
      messages: messageCount,
      processedEvents: eventCount,
    },
    seconds,
  };
}
