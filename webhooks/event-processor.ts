import { randomUUID } from 'node:crypto';
import { WebhookEvent, type WebhookEventRecord } from '../models/webhook-event';
import type { Clock } from '../server/platform/clock';
import type { Logger } from '../server/platform/logger';
import { countWebhookEvent } from '../server/platform/metrics';
import { retryDelayMs } from '../server/platform/retry-delay';
import { payloadOf, storeEvents, type StoredEvent } from './event-store';
import { groupCommit } from '../server/platform/group-commit';
import { EventScope } from './event-scope';
import { createLaneTurns } from './lane-turns';
import type { StoredPageEvent, WebhookHandlers } from './handler-registry';
import { unreadableStoredReason, type PageEvent } from './page-events';

export interface EventProcessorOptions {
  handlers: WebhookHandlers;
  clock: Clock;
  logger: Logger;
  /** A claimed event whose worker died is taken over after this long. */
  leaseMs?: number;
  /** After this many failed attempts an event is dead-lettered (status `dead`, visible with its last error). */
  maxAttempts?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** How often to look for events left behind, or whose retry came due. */
  sweepEveryMs?: number;
  /**
   * How often to look for leases run out (a dead or hung worker's events): a third of the lease by default, since the
   * read returns every event being processed (FerretDB cannot narrow it by the lease's end), hundreds of milliseconds
   * of the database's time a read while a backlog is in the lanes.
   */
  leaseCheckEveryMs?: number;
  /** Conversations processed side by side at most; events within one conversation are always sequential. */
  parallelConversations?: number;
  /**
   * Events held in memory, waiting in their lanes, beyond which only a conversation's first is taken on; the others
   * wait in the database for the sweep (`takenByTheLanes`). 500 by default.
   */
  maxHeldEvents?: number;
  /**
   * How long storing a webhook's events (what Meta's POST waits for) may take, on average, before processing gives
   * way, once it has fallen behind: above it, fewer conversations are processed side by side, so the database answers
   * the acknowledgements first; below half of it, or once processing has caught up, it widens again. 4 ms by default:
   * a store takes 1-3 ms while no processing competes, and an overloaded process processes as many events a second
   * narrowed as wide, its CPU being the limit either way (BENCHMARKS.md, "2026-12-04, night").
   */
  ackTargetMs?: number;
  /**
   * Handled events are marked processed at most once per this long, together: at a steady stream of messages one
   * write settles several instead of each its own. Until then they stay this worker's, under their lease.
   */
  markEveryMs?: number;
}

export interface EventProcessor {
  /**
   * Stores a webhook's events durably and, while the processor runs, takes them on at once: they are handled in
   * memory, in arrival order per conversation, with no query to find them. The database stays the record a sweep
   * (this process's or another's) recovers them from if this process dies.
   */
  takeIn(events: PageEvent[]): Promise<{ stored: number; duplicates: number; unwanted: number }>;
  /** Looks for stored events that are due now (left behind, retries, expired leases). */
  kick(): void;
  start(): void;
  stop(): Promise<void>;
  /** Resolves when nothing due is left (used by tests and shutdown). */
  idle(): Promise<void>;
}

type Claimed = StoredPageEvent & Pick<WebhookEventRecord, '_id' | 'attempts' | 'conversationKey'>;
/** As the slow path claims it: a large payload is still beside it. */
type ClaimedStored = Omit<Claimed, 'payload'> &
  Pick<WebhookEventRecord, 'payload' | 'payloadApart' | 'sequence' | 'lockedUntil'>;
type Held = Claimed & Pick<WebhookEventRecord, 'sequence' | 'lockedUntil'>;

/** How many due events a pass of the sweep reads at most. */
const sweepBatch = 200;
/** How many of its waiting events a lane claims back at a time (`refill`). */
const refillBatch = 10;

const byOccurrence = (a: Pick<WebhookEventRecord, 'occurredAt' | 'sequence'>, b: typeof a) =>
  a.occurredAt.getTime() - b.occurredAt.getTime() || a.sequence - b.sequence;

export function createEventProcessor(options: EventProcessorOptions): EventProcessor {
  const { handlers, clock, logger } = options;
  const leaseMs = options.leaseMs ?? 30_000;
  const maxAttempts = options.maxAttempts ?? 8;
  const retryBaseMs = options.retryBaseMs ?? 1_000;
  const retryMaxMs = options.retryMaxMs ?? 5 * 60_000;
  const parallel = options.parallelConversations ?? 16;
  const maxHeldEvents = options.maxHeldEvents ?? 500;
  const ackTargetMs = options.ackTargetMs ?? 4;
  const markEveryMs = options.markEveryMs ?? 50;
  const sweepEveryMs = options.sweepEveryMs ?? 1_000;
  const leaseCheckEveryMs = options.leaseCheckEveryMs ?? Math.max(sweepEveryMs, leaseMs / 3);
  const workerId = randomUUID();
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = true;
  let sweepTimer: NodeJS.Timeout | undefined;
  let leaseTimer: NodeJS.Timeout | undefined;

  type Ordered = Pick<WebhookEventRecord, '_id' | 'conversationKey' | 'occurredAt' | 'sequence'>;
  /** An unfinished event as the order checks read it: where it stands besides where it falls. */
  type Unfinished = Ordered & Pick<WebhookEventRecord, 'status' | 'nextAttemptAt'>;

  const orderedFields = { conversationKey: 1, occurredAt: 1, sequence: 1 };

  /**
   * The oldest due events, up to `sweepBatch`, in order. Sorted by time alone, which FerretDB does in SQLite (a date)
   * and then reads no more rows than it returns; sorted by time and sequence it decodes and sorts every pending event.
   * A full batch may have cut the events of its last moment short of one with a lower sequence, so they are left for
   * the next pass, unless they are all the batch holds.
   */
  async function dueEvents(now: Date): Promise<Ordered[]> {
    const due = (sort: Record<string, 1>) =>
      WebhookEvent.find({ status: 'pending', nextAttemptAt: { $lte: now } })
        .sort(sort)
        .limit(sweepBatch)
        .select(orderedFields)
        .lean<Ordered[]>();
    const oldest = await due({ occurredAt: 1 });
    const last = oldest.at(-1)?.occurredAt.getTime();
    if (oldest.length < sweepBatch || last === undefined) return oldest.sort(byOccurrence);
    const beforeTheLast = oldest.filter((event) => event.occurredAt.getTime() < last);
    if (beforeTheLast.length > 0) return beforeTheLast.sort(byOccurrence);
    return due({ occurredAt: 1, sequence: 1 });
  }

  const isEarlier = (a: Ordered, b: Ordered) => byOccurrence(a, b) < 0;

  function isBehindEarlierEvent(event: Ordered, blocking: Ordered[], handledHere: Set<string>): boolean {
    return blocking.some(
      (other) =>
        other.conversationKey === event.conversationKey &&
        !handledHere.has(String(other._id)) &&
        isEarlier(other, event),
    );
  }

  async function claim(candidateId: WebhookEventRecord['_id']): Promise<ClaimedStored | null> {
    const now = clock.now();
    return WebhookEvent.findOneAndUpdate(
      { _id: candidateId, status: 'pending', nextAttemptAt: { $lte: now } },
      { $set: { status: 'processing', lockedBy: workerId, lockedUntil: new Date(now.getTime() + leaseMs) } },
      { returnDocument: 'after' },
    ).lean<ClaimedStored>();
  }

  const eventLog = (event: Pick<Claimed, 'key' | 'kind' | 'fbPageId'>) =>
    logger.child({ eventKey: event.key, kind: event.kind, fbPageId: event.fbPageId });

  /** A claimed event with its payload; one whose payload is gone goes to the dead letters. */
  async function withPayload(event: ClaimedStored): Promise<Claimed | null> {
    const payload = await payloadOf(event);
    if (payload) return { ...event, payload };
    await fail(event, new Error('payload missing'), eventLog(event), { retry: false });
    return null;
  }

  /** Runs the event's handlers; false when it is left waiting for a retry. */
  async function handle(event: Claimed): Promise<boolean> {
    // Retrying cannot make a payload readable, so such an event goes to the dead letters at once.
    const unreadable = unreadableStoredReason(event);
    if (unreadable) {
      await fail(event, new Error(`unreadable payload: ${unreadable}`), eventLog(event), { retry: false });
      return true;
    }
    try {
      const scope = new EventScope();
      for (const handler of handlers.handlersFor(event.kind)) await handler(event, scope);
      markProcessed(event._id);
      countWebhookEvent(event.kind, 'processed');
      return true;
    } catch (error) {
      // The event's logger only where it logs: a child logger costs a redaction pass over its bindings.
      return fail(event, error, eventLog(event), { retry: true });
    }
  }

  /**
   * Handled events not yet marked processed in the database, by id; marked together, one write for all that finished
   * since the last (at most one write per `markEveryMs`). Until then they count as this worker's own (like the lanes'
   * events). Should the write fail, or the process die first, their lease runs out and they are handled again: every
   * handler is safe to run twice.
   */
  const unmarked = new Map<string, WebhookEventRecord['_id']>();
  let marking: Promise<void> | undefined;
  let lastMarkAt = -Infinity;
  /** Ends the wait for the next marking write now (idle, stop). */
  let markNow: (() => void) | undefined;

  /**
   * Of the unfinished events the running sweep pass read, those this worker has handled: their processed marks were on
   * the way when it read (in `unmarked` then) or it handled them since. Kept for the whole pass, since an id leaves
   * `unmarked` as soon as its mark lands while the pass's read still shows the event unfinished; judged by `unmarked`
   * alone, the rest of that conversation waited for the next pass.
   */
  let handledSincePassRead: Set<string> | undefined;

  function markProcessed(id: WebhookEventRecord['_id']): void {
    unmarked.set(String(id), id);
    handledSincePassRead?.add(String(id));
    marking ??= writeProcessed().finally(() => (marking = undefined));
  }

  function markTurn(): Promise<void> {
    const wait = Math.max(0, lastMarkAt + markEveryMs - performance.now());
    return new Promise((resolve) => {
      const timer = setTimeout(() => markNow?.(), wait);
      markNow = () => {
        clearTimeout(timer);
        markNow = undefined;
        resolve();
      };
    });
  }

  async function writeProcessed(): Promise<void> {
    while (unmarked.size > 0) {
      await markTurn();
      lastMarkAt = performance.now();
      const ids = [...unmarked.values()];
      try {
        await WebhookEvent.updateMany(
          { _id: { $in: ids }, lockedBy: workerId },
          { $set: { status: 'processed', processedAt: clock.now(), lockedBy: null, lockedUntil: null } },
        );
      } catch (error) {
        logger.warn(
          { err: error, events: ids.length },
          'marking events processed failed; their lease will end',
        );
      } finally {
        for (const id of ids) unmarked.delete(String(id));
      }
    }
  }

  const isOwnUnfinished = (id: string) => inLanes.has(id) || unmarked.has(id);

  /** Records the failure; true when the event is dead, so nothing waits behind it. */
  async function fail(
    event: Pick<Claimed, '_id' | 'attempts' | 'kind'>,
    error: unknown,
    log: Logger,
    { retry }: { retry: boolean },
  ) {
    const attempts = event.attempts + 1;
    const dead = !retry || attempts >= maxAttempts;
    const nextAttemptAt = new Date(clock.now().getTime() + retryDelayMs(attempts, retryBaseMs, retryMaxMs));
    if (dead) countWebhookEvent(event.kind, 'dead');
    log[dead ? 'error' : 'warn'](
      { err: error, attempts },
      dead ? 'event dead-lettered' : 'event handler failed',
    );
    await WebhookEvent.updateOne(
      { _id: event._id, lockedBy: workerId },
      {
        $set: {
          status: dead ? 'dead' : 'pending',
          attempts,
          nextAttemptAt,
          lastError: error instanceof Error ? error.message : String(error),
          lockedBy: null,
          lockedUntil: null,
        },
      },
    );
    return dead;
  }

  /**
   * Events this worker took on arrival, per conversation, in arrival order. A lane is in at most one drain's hands at
   * a time, so its events never run side by side; up to `parallel` drains take the ready lanes in turn.
   */
  const lanes = new Map<string, Held[]>();
  /** The ids of every event in a lane, so that the arrival check does not take a lane's own events for others'. */
  const inLanes = new Set<string>();
  const turns = createLaneTurns((key) => lanes.get(key)?.length ?? 0);
  const draining = new Set<Promise<void>>();

  /**
   * Conversations with arrivals left in the database because the lanes were full. Until their lane finds none waiting
   * there (`refill`) or the sweep finds nothing due, their next arrivals wait there too, behind them, rather than being
   * taken on only for the order check to send them back.
   */
  const overflowed = new Set<string>();
  /** Writes of arrivals on their way: the conversations they overflow are not in the database yet. */
  let arrivalWrites = 0;
  /**
   * Which of these overflowed conversations a read starting now may let back into the lanes, should it find none of
   * their events waiting: none while a write of arrivals is on its way (the read may not see what it stores), and
   * only those overflowed already (one that overflows later has events the read cannot have seen).
   */
  const mayLetBack = (keys: Iterable<string>): string[] => (arrivalWrites === 0 ? [...keys] : []);
  /** Events claimed for the lanes whose order check has yet to answer: counted against the lanes' room already. */
  let claimedNotHeld = 0;

  /**
   * Which arrivals the lanes take, in arrival order: all while they hold fewer than `maxHeldEvents`; beyond that, the
   * first event of a conversation with nothing in them (so its turn comes soon, whatever the backlog), up to twice as
   * many. The rest are stored unclaimed and wait in the database for the sweep, so a long overload grows a backlog on
   * disk, not in memory, and no event waits in a lane until its lease runs out.
   */
  function takenByTheLanes(events: PageEvent[]): boolean[] {
    if (stopped) return events.map(() => false);
    let held = inLanes.size + claimedNotHeld;
    const takenHere = new Set<string>();
    return events.map(({ conversationKey: key }) => {
      const first = !lanes.has(key) && !takenHere.has(key);
      // Once one of a conversation's events waits in the database, its later ones wait behind it.
      const taken = !overflowed.has(key) && (held < maxHeldEvents || (first && held < 2 * maxHeldEvents));
      if (taken) {
        held += 1;
        takenHere.add(key);
      } else overflowed.add(key);
      return taken;
    });
  }

  /**
   * Webhooks that arrive while another's events are being stored go together in the next write: one insert and one
   * order check for all of them. The write resolves once the insert is done, which is all Meta's 200 waits for; the
   * order check runs beside it and is read when the events are taken on. Whatever it must see was stored before these
   * webhooks (it may see their own events too, which are not "others").
   */
  const storeArrivals = groupCommit(async (arrivals: PageEvent[][]) => {
    const events = arrivals.flat();
    const taken = takenByTheLanes(events);
    const claimedEvents = events.filter((_, index) => taken[index]);
    const claim = { lockedBy: workerId, lockedUntil: new Date(clock.now().getTime() + leaseMs) };
    const unfinished = claimedEvents.length > 0 ? unfinishedEventsOf(claimedEvents) : Promise.resolve([]);
    // Read by `takeOn`; should the insert fail, nobody reads it.
    unfinished.catch(() => undefined);
    claimedNotHeld += claimedEvents.length;
    let results: (StoredEvent | null)[];
    arrivalWrites += 1;
    try {
      results = await storeEvents(events, clock, (index) => (taken[index] ? claim : null));
    } catch (error) {
      claimedNotHeld -= claimedEvents.length;
      throw error;
    } finally {
      arrivalWrites -= 1;
    }
    claimedNotHeld -= results.filter((event, index) => event === null && taken[index]).length;
    const orderCheck = {
      unfinished,
      storedIds: new Set(results.flatMap((event) => (event ? [String(event._id)] : []))),
    };
    let offset = 0;
    return arrivals.map((arrival) => {
      const from = offset;
      offset += arrival.length;
      const mine = results.slice(from, offset);
      const stored = mine.filter((event): event is StoredEvent => event !== null);
      const heldHere = mine.filter(
        (event, index): event is StoredEvent => event !== null && taken[from + index] === true,
      );
      return { stored: stored.length, taken: heldHere, duplicates: mine.length - stored.length, orderCheck };
    });
  });

  async function takeIn(
    arrived: PageEvent[],
  ): Promise<{ stored: number; duplicates: number; unwanted: number }> {
    const events = arrived.filter((event) => handlers.wants(event));
    // A broadcast's echoes, one webhook per message sent: nothing to store, so no write to wait for.
    if (events.length === 0) return { stored: 0, duplicates: 0, unwanted: arrived.length };
    const storing = performance.now();
    const { stored, taken, duplicates, orderCheck } = await storeArrivals(events);
    pace.observe(performance.now() - storing);
    if (taken.length > 0) takeOn(taken, orderCheck);
    return { stored, duplicates, unwanted: arrived.length - events.length };
  }

  /** The webhooks' events taken on in the order they were stored, each once its order check has answered. */
  let takingOn: Promise<void> = Promise.resolve();

  /**
   * Events of a conversation with an earlier event unfinished elsewhere (not in this worker's hands, nor stored by the
   * same write) go back to the database, behind it; the rest go to their lanes. Read in turn, after the webhooks
   * stored before have been taken on. Should the order check fail, they all go back, for the sweep.
   */
  function takeOn(
    stored: Held[],
    { unfinished, storedIds }: { unfinished: Promise<Ordered[]>; storedIds: Set<string> },
  ): void {
    const inOrder = [...stored].sort(byOccurrence);
    const isOthers = (event: Ordered) =>
      !isOwnUnfinished(String(event._id)) && !storedIds.has(String(event._id));
    takingOn = takingOn.then(async () => {
      try {
        const behind = new Set((await unfinished).filter(isOthers).map((event) => event.conversationKey));
        const waiting = inOrder.filter((event) => stopped || behind.has(event.conversationKey));
        hold(inOrder.filter((event) => !waiting.includes(event)));
        if (waiting.length > 0) await release(waiting);
      } catch (error) {
        logger.warn({ err: error, events: inOrder.length }, 'order check failed; the events go to the sweep');
        await release(inOrder).catch((releaseError: unknown) =>
          logger.warn({ err: releaseError }, 'releasing events failed; their lease will end'),
        );
      } finally {
        claimedNotHeld -= inOrder.length;
      }
    });
  }

  /**
   * The unfinished events of these events' conversations. One outside this worker's lanes (a retry waiting, an event
   * another process holds, one left by a crash) sends the conversation's new events behind it, through the sweep.
   * One query on the conversation index, no scan.
   */
  async function unfinishedEventsOf(events: Pick<Ordered, 'conversationKey'>[]): Promise<Unfinished[]> {
    const keys = [...new Set(events.map((event) => event.conversationKey))];
    return WebhookEvent.find({ conversationKey: { $in: keys }, status: { $in: ['pending', 'processing'] } })
      .select({ ...orderedFields, status: 1, nextAttemptAt: 1 })
      .lean<Unfinished[]>();
  }

  function hold(events: Held[]): void {
    for (const event of events) {
      inLanes.add(String(event._id));
      const lane = lanes.get(event.conversationKey);
      if (lane) lane.push(event);
      else {
        lanes.set(event.conversationKey, [event]);
        turns.add(event.conversationKey);
      }
    }
    startDrains();
  }

  function startDrains(): void {
    pace.widenWhenQuiet();
    while (!stopped && draining.size < pace.allowed && turns.waiting > 0) {
      const drain: Promise<void> = drainReady().finally(() => {
        draining.delete(drain);
        startDrains();
      });
      draining.add(drain);
    }
  }

  /**
   * How many conversations may be processed side by side now, from how fast events are being stored: halved at each
   * arrival while storing is slower than `ackTargetMs` on average and processing has fallen behind (more events in
   * the lanes than the full width), widened by one at each arrival while storing is under half that target or
   * processing has caught up, and back to the full width once no webhook has come for a quarter of a second (no
   * acknowledgement to protect). While processing keeps up, narrowing would delay the messages agents wait for and
   * barely speed the acknowledgements: measured in BENCHMARKS.md ("2026-12-04").
   */
  const pace = {
    allowed: parallel,
    averageStoreMs: 0,
    storedAt: 0,
    widenWhenQuiet(): void {
      if (this.allowed < parallel && performance.now() - this.storedAt > 250) {
        this.allowed = parallel;
        this.averageStoreMs = 0;
      }
    },
    observe(storeMs: number): void {
      this.averageStoreMs = this.averageStoreMs * 0.8 + storeMs * 0.2;
      this.storedAt = performance.now();
      const behind = overflowed.size > 0 || inLanes.size > parallel;
      if (this.averageStoreMs > ackTargetMs && behind) {
        this.allowed = Math.max(1, Math.floor(this.allowed / 2));
      } else if ((this.averageStoreMs < ackTargetMs / 2 || !behind) && this.allowed < parallel) {
        this.allowed += 1;
        startDrains();
      }
    },
  };

  /**
   * Lanes take turns, one event each, every other turn going to the lane with the fewest events (`createLaneTurns`):
   * a burst in some conversations never holds up the next one's message. A drain beyond the width `pace` allows now
   * stops after its event; the others widen back as `pace` allows.
   */
  async function drainReady(): Promise<void> {
    for (
      let key = turns.next();
      key !== undefined;
      key = draining.size > pace.allowed ? undefined : turns.next()
    ) {
      const more = await handleNextOf(key).catch((error: unknown) => {
        logger.error({ err: error, conversationKey: key }, 'webhook lane failed');
        return false;
      });
      if (more) turns.add(key);
      startDrains();
    }
  }

  /**
   * Handles the first event of a lane; true when the lane has more to handle. What it cannot handle now goes back to
   * the database for the sweep: the rest of a lane whose event was left for a retry, or given away by the sweep (the
   * lane waited past the lease), goes behind it.
   */
  async function handleNextOf(key: string): Promise<boolean> {
    const lane = lanes.get(key) ?? [];
    let goOn = false;
    try {
      const [event] = lane;
      if (!event || stopped) return false;
      goOn = (await renewLeaseIfDue(event)) && (await handle(event));
      inLanes.delete(String(lane.shift()?._id));
      return goOn && lane.length > 0;
    } finally {
      if (!goOn || lane.length === 0) {
        lanes.delete(key);
        const rest = lane.splice(0);
        for (const event of rest) inLanes.delete(String(event._id));
        if (rest.length > 0) await release(rest);
        // The conversation's next events may be waiting in the database, behind the ones just handled.
        else if (overflowed.has(key) && !stopped) await refill(key);
      }
    }
  }

  /**
   * A lane that ran out while its conversation has events waiting in the database takes them back, in order, as far as
   * it may claim them: one read on the conversation's index instead of a sweep pass, which reads the oldest due events
   * of every conversation (most of them behind events still in the lanes while processing is behind). The events
   * claimed go on in a lane; the conversation's new arrivals go to the lanes again once it has none waiting.
   */
  async function refill(key: string): Promise<void> {
    const now = clock.now();
    // Taken before the read: an event whose processed mark lands while the read is on its way is still this worker's.
    // Only the marks: the conversation has no lane now, so none of its events is in the lanes' set (copying that set,
    // hundreds of ids at every refill while processing is behind, was 4 % of all the app allocated at 200 messages/s).
    const own = new Set(unmarked.keys());
    const letBack = mayLetBack([key]);
    const waiting = (await unfinishedEventsOf([{ conversationKey: key }]))
      .filter((event) => !own.has(String(event._id)) && !isOwnUnfinished(String(event._id)))
      .sort(byOccurrence);
    if (waiting.length === 0) {
      for (const waitingNone of letBack) overflowed.delete(waitingNone);
      return;
    }
    const taken: Held[] = [];
    // At least one, so that a conversation the lanes have room for only at their limit still moves.
    const room = Math.max(1, Math.min(refillBatch, maxHeldEvents - inLanes.size - claimedNotHeld));
    try {
      for (const next of waiting.slice(0, room)) {
        // Behind an event being processed elsewhere or waiting for its retry: the sweep takes it on later.
        if (next.status !== 'pending' || next.nextAttemptAt > now) break;
        const claimed = await claim(next._id);
        if (!claimed) break;
        const event = await withPayload(claimed);
        if (event) taken.push({ ...event, sequence: claimed.sequence, lockedUntil: claimed.lockedUntil });
      }
    } catch (error) {
      logger.warn({ err: error, conversationKey: key }, 'taking back waiting events failed; the sweep will');
    }
    if (taken.length > 0 && !stopped) hold(taken);
    else if (taken.length > 0) await release(taken);
  }

  /** A lane that waited long renews its lease before going on; false when the sweep already gave the event away. */
  async function renewLeaseIfDue(event: Held): Promise<boolean> {
    const now = clock.now().getTime();
    if (event.lockedUntil && event.lockedUntil.getTime() - now > leaseMs / 2) return true;
    const lockedUntil = new Date(now + leaseMs);
    const renewed = await WebhookEvent.updateOne(
      { _id: event._id, status: 'processing', lockedBy: workerId },
      { $set: { lockedUntil } },
    );
    event.lockedUntil = lockedUntil;
    return renewed.matchedCount === 1;
  }

  /**
   * Puts events this worker holds back to `pending`, for the sweep. One update by `_id` each: an update that searched
   * would hold the collection's write lock (FerretDB) for as long as it reads.
   */
  async function release(events: Held[]): Promise<void> {
    await returnToPending(events, { lockedBy: workerId });
    kick();
  }

  function returnToPending(
    events: Pick<WebhookEventRecord, '_id'>[],
    stillTrue: Record<string, unknown>,
  ): Promise<unknown> {
    return Promise.all(
      events.map((event) =>
        WebhookEvent.updateOne(
          { _id: event._id, status: 'processing', ...stillTrue },
          { $set: { status: 'pending', lockedBy: null, lockedUntil: null } },
        ),
      ),
    );
  }

  /**
   * One pass over the oldest due events: each conversation's in order, from its first, until one is held back (an
   * earlier event of the conversation unfinished), taken by another worker, or left for a retry. Returns how many it
   * read and how many it handled.
   */
  async function processDue(): Promise<{ read: number; processed: number }> {
    const now = clock.now();
    const letBack = mayLetBack(overflowed);
    const due = await dueEvents(now);
    if (due.length === 0) for (const key of letBack) overflowed.delete(key);
    const conversations = new Map<string, (typeof due)[number][]>();
    for (const event of due) {
      const events = conversations.get(event.conversationKey);
      if (events) events.push(event);
      else conversations.set(event.conversationKey, [event]);
    }
    let processed = 0;
    // `due` is the start of every due event in order, so an unfinished event of these conversations outside it is
    // being processed, waiting for its retry, or later than all of them: only such an event can hold one back.
    const dueIds = new Set(due.map((event) => String(event._id)));
    // Passes run one at a time (`runUntilIdle`).
    const handledHere = new Set(unmarked.keys());
    handledSincePassRead = handledHere;
    try {
      const blocking =
        conversations.size > 0
          ? (await unfinishedEventsOf(due)).filter((event) => !dueIds.has(String(event._id)))
          : [];
      const queue = [...conversations.values()];
      const worker = async () => {
        for (let events = queue.shift(); events; events = queue.shift()) {
          for (const next of events) {
            if (isBehindEarlierEvent(next, blocking, handledHere)) break;
            const claimed = await claim(next._id);
            if (!claimed) break;
            const event = await withPayload(claimed);
            processed += 1;
            if (event && !(await handle(event))) break;
          }
        }
      };
      // As narrow as the lanes while acknowledgements need the room: a backlog in the database is a backlog too.
      pace.widenWhenQuiet();
      await Promise.all(Array.from({ length: Math.min(pace.allowed, queue.length) }, worker));
    } finally {
      handledSincePassRead = undefined;
    }
    return { read: due.length, processed };
  }

  /** Events whose worker let its lease run out (it died, or hung): found by a read, released by `_id`. */
  async function releaseExpiredLeases(): Promise<void> {
    const expired = { lockedUntil: { $lt: clock.now() } };
    const leftBehind = await WebhookEvent.find({ status: 'processing', ...expired })
      .select({ _id: 1 })
      .lean();
    await returnToPending(leftBehind, expired);
  }

  /**
   * Set by the lease check's timer; the next pass releases the expired leases before it reads what is due. Never beside
   * a pass: an event released between a pass's read of the due events and its read of the blocking ones is in neither,
   * and the event behind it would go first.
   */
  let leasesDue = false;

  async function runUntilIdle(): Promise<void> {
    do {
      again = false;
      if (leasesDue) {
        leasesDue = false;
        await releaseExpiredLeases();
      }
      // Passes follow one another while they handle most of what they read. One that found most of it held back
      // (processing is behind, and those conversations' earlier events are in the lanes, which take their waiting
      // events back themselves) leaves the rest to the next tick rather than reading the same events again.
      while (!stopped) {
        const { read, processed } = await processDue();
        if (processed === 0 || processed * 2 < read) break;
      }
    } while (again && !stopped);
  }

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = runUntilIdle()
      .catch((error: unknown) => logger.error({ err: error }, 'event processing pass failed'))
      .finally(() => {
        running = undefined;
      });
  }

  return {
    takeIn,
    kick,
    start() {
      stopped = false;
      const takeOverExpired = () => {
        leasesDue = true;
        kick();
      };
      sweepTimer = setInterval(kick, sweepEveryMs);
      sweepTimer.unref();
      leaseTimer = setInterval(takeOverExpired, leaseCheckEveryMs);
      leaseTimer.unref();
      takeOverExpired();
    },
    async stop() {
      stopped = true;
      clearInterval(sweepTimer);
      clearInterval(leaseTimer);
      await takingOn;
      await Promise.all([running, ...draining]);
      markNow?.();
      await marking;
    },
    async idle() {
      let takenOn: Promise<void> | undefined;
      while (takenOn !== takingOn || running || draining.size > 0 || marking) {
        takenOn = takingOn;
        await takenOn;
        await Promise.all([running, ...draining]);
        markNow?.();
        await marking;
      }
    },
  };
}
