import type { OutgoingMessage } from './graph-types';
import { PerSecondWindow, type WindowEntry } from './per-second-window';
import { SendQueue, type QueuedSend } from './send-queue';
import { TokenBucket } from './token-bucket';

/**
 * Meta's Send API limits per Page: 300 calls/s for text, links, reactions and stickers, and a separate 10/s for audio
 * and video (docs/messenger-platform.md §4). Each class has its own pace, so a broadcast of video waits for video's
 * rate without drawing 613s, and without holding up the text sends queued behind it.
 */
export type SendClass = 'text' | 'media';

export const sendClasses: readonly SendClass[] = ['text', 'media'];

/** The class a Send API request counts against: audio and video attachments are media, everything else text. */
export function sendClassOf(request: { message?: OutgoingMessage }): SendClass {
  const attachment =
    request.message && 'attachment' in request.message ? request.message.attachment : undefined;
  return attachment?.type === 'audio' || attachment?.type === 'video' ? 'media' : 'text';
}

/**
 * How many milliseconds of sending the bucket may save up during a backlog: a full second, so that event-loop stalls
 * (over 100 ms seen on a busy machine) are made up and the average holds. The per-second window keeps the catch-up
 * within Meta's per-second limit, and a Page that went quiet starts again from one token.
 */
const burstMs = 1000;

/** One class of one Page's sends: its queue (by priority), token bucket and per-second window. */
export class SendPacer {
  readonly queue = new SendQueue();
  private readonly bucket: TokenBucket;
  private readonly lastSecond = new PerSecondWindow();

  constructor(nowMs: number) {
    this.bucket = new TokenBucket(nowMs, burstMs);
  }

  add(task: QueuedSend, nowMs: number, ratePerSecond: number): void {
    if (this.queue.size === 0) this.bucket.forgetSavings(nowMs, ratePerSecond);
    this.queue.add(task);
  }

  /**
   * The next task the rate lets start now, with its place in the per-second window (to mark when it is answered);
   * else how long until one may (Infinity when nothing waits, or when an answer must come first).
   */
  next(nowMs: number, ratePerSecond: number): { task: QueuedSend; entry: WindowEntry } | { waitMs: number } {
    if (this.queue.size === 0) return { waitMs: Infinity };
    if (!this.lastSecond.hasRoom(nowMs, ratePerSecond)) return { waitMs: this.lastSecond.msUntilRoom(nowMs) };
    if (!this.bucket.tryTake(nowMs, ratePerSecond))
      return { waitMs: this.bucket.msUntilNextToken(nowMs, ratePerSecond) };
    const task = this.queue.takeNext();
    if (!task) return { waitMs: Infinity };
    return { task, entry: this.lastSecond.record() };
  }

  /** The send's call ended: answered by Meta, or not (`gotAnswer` false: a timeout, a reset), so it may yet arrive. */
  ended(entry: WindowEntry, nowMs: number, gotAnswer: boolean): void {
    if (gotAnswer) this.lastSecond.answered(entry, nowMs);
    else this.lastSecond.gaveUp(entry, nowMs);
  }
}
