import type { SendClass } from './send-pacer';

/** Who is waiting for a send: an agent in live chat, an automation (bot, comment capture), or a broadcast. */
export type SendPriority = 'live' | 'automation' | 'broadcast';

export const sendPriorities: readonly SendPriority[] = ['live', 'automation', 'broadcast'];

export interface QueuedSend {
  /** Order of arrival across the Page, kept when a task is put back after a rate limit. */
  sequence: number;
  priority: SendPriority;
  /** Audio and video are paced apart from text (see SendPacer). */
  sendClass: SendClass;
  /** The turn's own work before the call (see `RunOptions.prepare`); false leaves the call unmade. */
  prepare?: () => Promise<boolean>;
  /** Started once, shortly before the task's turn (see `RunOptions.prepareAhead`). */
  prepareAhead?: () => void;
  run: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  rateLimitedAttempts: number;
  /** When the send was queued and when it is given up rather than started (epoch ms, governor's clock). */
  deadline?: { queuedAtMs: number; atMs: number };
}

/**
 * One Page's waiting sends. Strict priority: a live reply always goes before any queued automation, and automation
 * before any queued broadcast, so a broadcast of thousands never delays an agent. Within a priority, arrival order.
 */
export class SendQueue {
  private readonly byPriority: Record<SendPriority, QueuedSend[]> = {
    live: [],
    automation: [],
    broadcast: [],
  };

  get size(): number {
    return sendPriorities.reduce((total, priority) => total + this.byPriority[priority].length, 0);
  }

  counts(): Record<SendPriority, number> {
    return {
      live: this.byPriority.live.length,
      automation: this.byPriority.automation.length,
      broadcast: this.byPriority.broadcast.length,
    };
  }

  add(task: QueuedSend): void {
    this.byPriority[task.priority].push(task);
  }

  /** Puts a task that was refused back in its place by arrival, so the person's messages keep their order. */
  putBack(task: QueuedSend): void {
    const queue = this.byPriority[task.priority];
    const later = queue.findIndex((queued) => queued.sequence > task.sequence);
    queue.splice(later === -1 ? queue.length : later, 0, task);
  }

  /** Takes a task out before its turn; false when it is not queued (running, or already settled). */
  remove(task: QueuedSend): boolean {
    const queue = this.byPriority[task.priority];
    const index = queue.indexOf(task);
    if (index === -1) return false;
    queue.splice(index, 1);
    return true;
  }

  /** The priority of the task `takeNext` would take. */
  nextPriority(): SendPriority | undefined {
    return sendPriorities.find((priority) => this.byPriority[priority].length > 0);
  }

  /** The first `count` tasks in the order `takeNext` would take them. */
  front(count: number): QueuedSend[] {
    const tasks: QueuedSend[] = [];
    for (const priority of sendPriorities) {
      for (const task of this.byPriority[priority]) {
        if (tasks.length === count) return tasks;
        tasks.push(task);
      }
    }
    return tasks;
  }

  takeNext(): QueuedSend | undefined {
    for (const priority of sendPriorities) {
      const task = this.byPriority[priority].shift();
      if (task) return task;
    }
    return undefined;
  }

  takeAll(): QueuedSend[] {
    const all = sendPriorities.flatMap((priority) => this.byPriority[priority]);
    for (const priority of sendPriorities) this.byPriority[priority] = [];
    return all;
  }
}
