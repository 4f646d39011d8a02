/**
 * Signed webhook bodies, generated: Meta-shaped events (messages, echoes, postbacks, reactions, receipts, opt-ins,
 * referrals, handovers, feed comments), some mutated (wrong types, deep nesting, huge or odd unicode strings, nested
 * arrays, `$` and `.` keys, dates past 9999), next to other products' envelopes and bodies that are no envelope.
 * `fuzzWebhooks` POSTs them, correctly signed, to a running app and checks what must hold whatever the body:
 * never a 5xx, `/healthz` answering throughout, and nothing half-stored. Used by test/webhooks/fuzz.test.ts and
 * `npm run fuzz:webhooks`.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { WebhookEvent } from '../../models/webhook-event';
import { payloadOf } from '../../webhooks/event-store';
import { unreadableStoredReason } from '../../webhooks/page-events';

type Json = unknown;
interface Item {
  value: Record<string, Json>;
  /** The key it is stored under if it is stored unmutated in a Page envelope (tracked for messages and comments). */
  key?: string;
}

// Values too deep for JSON.stringify are written as a marker and spliced into the body text.
const deepMarker = (levels: number, kind: 'object' | 'array') => `@@deep:${levels}:${kind}@@`;
const spliceDeep = (body: string) =>
  body.replace(/"@@deep:(\d+):(object|array)@@"/gu, (_all, levels: string, kind: string) => {
    const n = Number(levels);
    return kind === 'object' ? `${'{"a":'.repeat(n)}1${'}'.repeat(n)}` : `${'['.repeat(n)}${']'.repeat(n)}`;
  });

const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
const digits = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });
const text = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 80 }));
const now = Date.now();
const timestamp = fc.integer({ min: now - 86_400_000, max: now });

/** What no handler should ever meet in a field it reads. */
const nasty: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(1e20, -1, 1e308, -0, 2 ** 53, 0.5, true, null, '', [], {}, '\ud800', 'a\u0000b'),
  fc.array(fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  fc
    .constantFrom(40, 200, 5_000)
    .chain((levels) => fc.constantFrom(deepMarker(levels, 'object'), deepMarker(levels, 'array'))),
  fc.constantFrom(30_000, 300_000).map((length) => 'x'.repeat(length)),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom(
    { $where: 'sleep(1)' },
    { 'a.b': 1 },
    { '': 1 },
    { 'k\u0000': 1 },
    JSON.parse('{"__proto__":{"x":1}}') as Json,
  ),
);

function messagingItems(page: string, psids: string[]): fc.Arbitrary<Item> {
  const psid = fc.oneof(fc.constantFrom(...psids), digits(16));
  const mid = hex(24).map((value) => `m_${value}`);
  const base = fc.record({
    sender: psid.map((id) => ({ id })),
    recipient: fc.constant({ id: page }),
    timestamp,
  });
  const message = (content: fc.Arbitrary<Record<string, Json>>) =>
    fc.tuple(base, mid, content).map(([item, id, body]) => ({
      value: { ...item, message: { mid: id, ...body } },
      key: `message:${id}`,
    }));
  const withEvent = (name: string, event: fc.Arbitrary<Json>) =>
    fc.tuple(base, event).map(([item, value]) => ({ value: { ...item, [name]: value } }));
  return fc.oneof(
    { weight: 4, arbitrary: message(text.map((value) => ({ text: value }))) },
    message(fc.record({ text, quick_reply: fc.record({ payload: fc.string({ maxLength: 50 }) }) })),
    message(
      fc.record({
        attachments: fc.array(
          fc.record({
            type: fc.constantFrom('image', 'audio', 'video', 'file', 'sticker', 'fallback'),
            payload: fc.oneof(fc.constant(null), fc.record({ url: fc.webUrl() })),
          }),
          { minLength: 1, maxLength: 3 },
        ),
      }),
    ),
    fc.tuple(base, mid, text).map(([item, id, value]) => ({
      value: {
        sender: item.recipient,
        recipient: item.sender,
        timestamp: item.timestamp,
        message: { mid: id, is_echo: true, app_id: 1517776481860111, metadata: 'DEV', text: value },
      },
    })),
    withEvent(
      'postback',
      fc.record({
        mid,
        title: fc.constantFrom('Get Started', 'Menu', 'Buy'),
        payload: fc.string({ maxLength: 40 }),
      }),
    ),
    withEvent(
      'reaction',
      fc.record({
        mid,
        reaction: fc.constantFrom('love', 'like'),
        emoji: fc.constant('❤'),
        action: fc.constantFrom('react', 'unreact'),
      }),
    ),
    withEvent('delivery', fc.record({ mids: fc.array(mid, { maxLength: 2 }), watermark: timestamp })),
    withEvent('read', fc.record({ watermark: timestamp })),
    withEvent(
      'optin',
      fc.record({
        type: fc.constant('notification_messages'),
        payload: fc.string({ maxLength: 20 }),
        notification_messages_status: fc.constantFrom('STOP_NOTIFICATIONS', 'RESUME_NOTIFICATIONS'),
      }),
    ),
    withEvent(
      'referral',
      fc.record({
        ref: fc.constantFrom('promo1', 'ad_2'),
        source: fc.constant('SHORTLINK'),
        type: fc.constant('OPEN_THREAD'),
      }),
    ),
    withEvent(
      'pass_thread_control',
      fc.record({ new_owner_app_id: digits(6), metadata: fc.string({ maxLength: 20 }) }),
    ),
  );
}

function feedChanges(page: string): fc.Arbitrary<Item> {
  return fc
    .record({
      commentId: digits(12).map((id) => `${page}_${id}`),
      verb: fc.constantFrom('add', 'edited', 'remove'),
      from: digits(15),
      message: text,
      created: fc.integer({ min: Math.floor(now / 1000) - 86_400, max: Math.floor(now / 1000) }),
    })
    .map(({ commentId, verb, from, message, created }) => ({
      value: {
        field: 'feed',
        value: {
          item: 'comment',
          verb,
          comment_id: commentId,
          post_id: `${page}_1`,
          parent_id: `${page}_1`,
          from: { id: from, name: 'Fuzz' },
          message,
          created_time: created,
        },
      },
      key: `feed:comment:${commentId}:${verb}`,
    }));
}

/** Every path to a value inside `value`, the empty path included. */
function pathsOf(value: Json, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([key, child]) => pathsOf(child, [...prefix, key]))];
}

type Mutation = { at: number; op: 'replace' | 'delete' | 'add'; value: Json };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('replace', 'replace', 'delete', 'add'),
  value: nasty,
});

function mutate(item: Record<string, Json>, mutations: Mutation[]): Record<string, Json> {
  const copy = structuredClone(item);
  for (const { at, op, value: generated } of mutations) {
    const paths = pathsOf(copy).filter((path) => path.length > 0);
    const path = paths[at % paths.length];
    if (!path) continue;
    const parent = path
      .slice(0, -1)
      .reduce<Record<string, Json>>((node, key) => node[key] as Record<string, Json>, copy);
    const last = path[path.length - 1]!;
    if (typeof parent !== 'object' || parent === null) continue;
    // Generated values may share references; a copy keeps the item a tree.
    const value = structuredClone(generated);
    if (op === 'delete') delete parent[last];
    else if (op === 'replace') parent[last] = value;
    else if (typeof parent[last] === 'object' && parent[last] !== null)
      (parent[last] as Record<string, Json>).fuzz_extra = value;
  }
  return copy;
}

const maybeMutated = (items: fc.Arbitrary<Item>) =>
  fc
    .tuple(
      items,
      fc.oneof(
        { weight: 3, arbitrary: fc.constant<Mutation[]>([]) },
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
      ),
    )
    .map(([item, mutations]) => (mutations.length === 0 ? item : { value: mutate(item.value, mutations) }));

export interface FuzzBody {
  body: string;
  /** Keys that must be stored once the body is answered 200. */
  mustStore: string[];
}

/** A signed body's content; `psids` are people the simulator knows, so handlers run as for real traffic. */
export function webhookBodies(pages: string[], psids: string[]): fc.Arbitrary<FuzzBody> {
  const entry = fc.constantFrom(...pages, '9999').chain((page) =>
    fc.record({
      page: fc.constant(page),
      time: fc.oneof(timestamp, fc.constant(Math.floor(now / 1000))),
      messaging: fc.array(maybeMutated(messagingItems(page, psids)), { maxLength: 2 }),
      changes: fc.array(maybeMutated(feedChanges(page)), { maxLength: 1 }),
      broken: fc.oneof(
        { weight: 9, arbitrary: fc.constant(undefined) },
        fc.array(mutation, { minLength: 1, maxLength: 2 }),
      ),
    }),
  );
  const envelope = fc
    .record({
      object: fc.oneof(
        { weight: 8, arbitrary: fc.constant('page') },
        fc.constantFrom('user', 'instagram', 'permissions'),
        fc.string(),
      ),
      entries: fc.array(entry, { maxLength: 2 }),
      extra: fc.option(nasty, { nil: undefined }),
    })
    .map(({ object, entries, extra }) => {
      const mustStore: string[] = [];
      const entryValues = entries.map(({ page, time, messaging, changes, broken }) => {
        const value: Record<string, Json> = {
          id: page,
          time,
          ...(messaging.length ? { messaging: messaging.map((item) => item.value) } : {}),
          ...(changes.length ? { changes: changes.map((item) => item.value) } : {}),
        };
        if (broken) return mutate(value, broken);
        if (object === 'page')
          for (const item of [...messaging, ...changes]) if (item.key) mustStore.push(item.key);
        return value;
      });
      const body = { object, entry: entryValues, ...(extra === undefined ? {} : { extra }) };
      return { body: spliceDeep(JSON.stringify(body)), mustStore };
    });
  return fc.oneof(
    { weight: 12, arbitrary: envelope },
    fc
      .jsonValue({ maxDepth: 4 })
      .map((value) => ({ body: spliceDeep(JSON.stringify(value) ?? 'null'), mustStore: [] })),
  );
}

/** Until every stored event has been taken up once; an event left retrying then counts as a failure. */
export async function settleWebhookProcessing(processor: { idle(): Promise<void> }, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  // Two counts by status, each answered from the status index: a top-level `$or` would read every stored event.
  const unsettled = async () =>
    (await WebhookEvent.countDocuments({ status: 'processing' })) +
    (await WebhookEvent.countDocuments({ status: 'pending', attempts: 0 }));
  while ((await unsettled()) > 0) {
    if (Date.now() > deadline) throw new Error('webhook events still unprocessed');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await processor.idle();
}

export interface FuzzFigures {
  bodies: number;
  byStatus: Record<string, number>;
  serverErrors: number;
  healthChecks: number;
  healthFailures: number;
  eventsStored: number;
  droppedByReason: Record<string, number>;
  otherProductsDropped: number;
  /** Bodies answered 200 whose events are not all stored, plus stored events a handler cannot read or failed on. */
  halfStored: number;
  missingKeys: string[];
  unreadableStored: string[];
  failedEvents: { key: string; status: string; lastError: string | null }[];
  durationMs: number;
}

export interface FuzzTarget {
  url: string;
  appSecret: string;
  pages: string[];
  psids: string[];
  /**
   * Resolves once every stored event has been processed (or given up on); absent when the app only stores, and then
   * whether events were processed is not checked.
   */
  settle?: () => Promise<void>;
  logs(): string;
}

/** POSTs `numRuns` generated bodies, signed, one after another, with `/healthz` polled beside them. */
export async function fuzzWebhooks(target: FuzzTarget, numRuns: number, seed?: number): Promise<FuzzFigures> {
  const started = performance.now();
  const byStatus: Record<string, number> = {};
  const mustStore = new Set<string>();
  let bodies = 0;
  let healthChecks = 0;
  let healthFailures = 0;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      healthChecks += 1;
      const ok = await fetch(`${target.url}/healthz`, { signal: AbortSignal.timeout(30_000) })
        .then((res) => res.status === 200)
        .catch(() => false);
      if (!ok) healthFailures += 1;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  try {
    await fc.assert(
      fc.asyncProperty(webhookBodies(target.pages, target.psids), async ({ body, mustStore: keys }) => {
        const res = await fetch(`${target.url}/webhooks/facebook`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-hub-signature-256': `sha256=${createHmac('sha256', target.appSecret).update(body).digest('hex')}`,
          },
          body,
          signal: AbortSignal.timeout(60_000),
        });
        await res.arrayBuffer();
        bodies += 1;
        byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
        if (res.status >= 500) throw new Error(`answered ${res.status}`);
        if (res.status === 200) for (const key of keys) mustStore.add(key);
      }),
      { numRuns, ...(seed === undefined ? {} : { seed }), endOnFailure: true },
    );
  } finally {
    polling = false;
    await poller;
  }
  await target.settle?.();

  const stored = await Promise.all(
    (
      await WebhookEvent.find({})
        .select({
          key: 1,
          source: 1,
          kind: 1,
          payload: 1,
          payloadApart: 1,
          status: 1,
          attempts: 1,
          lastError: 1,
        })
        .lean()
    ).map(async (event) => ({ ...event, payload: (await payloadOf(event)) ?? {} })),
  );
  const storedKeys = new Set(stored.map((event) => event.key));
  const missingKeys = [...mustStore].filter((key) => !storedKeys.has(key));
  const unreadableStored = stored.filter((event) => unreadableStoredReason(event)).map((event) => event.key);
  const failedEvents = stored
    .filter((event) => target.settle && (event.status !== 'processed' || event.attempts > 0))
    .map((event) => ({ key: event.key, status: event.status, lastError: event.lastError }));
  const droppedByReason: Record<string, number> = {};
  let otherProductsDropped = 0;
  for (const line of target.logs().split('\n')) {
    if (line.includes('webhook for another product dropped')) otherProductsDropped += 1;
    if (!line.includes('"msg":"webhook item dropped"')) continue;
    // "message.text: Invalid input: expected string, received array" -> "message.text: Invalid input"
    const reason = (JSON.parse(line) as { reason: string }).reason
      .replace(/\.\d+\./gu, '.n.')
      .split(':')
      .slice(0, 2)
      .join(':');
    droppedByReason[reason] = (droppedByReason[reason] ?? 0) + 1;
  }
  return {
    bodies,
    byStatus,
    serverErrors: Object.entries(byStatus)
      .filter(([status]) => Number(status) >= 500)
      .reduce((sum, [, count]) => sum + count, 0),
    healthChecks,
    healthFailures,
    eventsStored: stored.length,
    droppedByReason,
    otherProductsDropped,
    halfStored: missingKeys.length + unreadableStored.length + failedEvents.length,
    missingKeys,
    unreadableStored,
    failedEvents,
    durationMs: Math.round(performance.now() - started),
  };
}
