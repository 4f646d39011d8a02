import { monitorEventLoopDelay } from 'node:perf_hooks';

/** How often the share moves, so that one slow acknowledgement among hundreds does not halve a broadcast. */
const adjustEveryMs = 250;
/** A process that has had no webhook for this long has no acknowledgement to protect. */
const quietMs = 5_000;
/** The event loop's delay is sampled this often: each sample wakes the loop, so not more. */
const loopSampleMs = 20;
/** Broadcasts never stop altogether: they go on at this share of their rate however slow acknowledgements are. */
const minimumShare = 0.05;

/** The event loop's mean delay since the last reading, in ms, sampled until `stop`. */
export interface LoopDelay {
  read(): number;
  stop(): void;
}

function sampledLoopDelay(): LoopDelay {
  const histogram = monitorEventLoopDelay({ resolution: loopSampleMs });
  histogram.enable();
  return {
    read() {
      // The histogram's mean counts the monitor's own resolution in every sample; it has none within one.
      const delayMs = histogram.count > 0 ? Math.max(0, histogram.mean / 1e6 - loopSampleMs) : 0;
      histogram.reset();
      return delayMs;
    },
    stop: () => histogram.disable(),
  };
}

/**
 * How well the process keeps up with Meta's webhook POSTs, and from that how much of its rate a Page's broadcast may
 * use.
 *
 * Meta waits at most 20 s for a webhook's 200 and unsubscribes an app that keeps failing, while a broadcast can
 * wait. Every broadcast message comes back as an echo webhook, so a broadcast faster than the process can keep up
 * with buries the acknowledgements: echo acknowledgements took over 20 s with ten Pages sending at once. What Meta
 * waits is the event loop's delay, which a POST waits behind before its handler starts, plus the acknowledgement's
 * own time from there (storing waits on the database). While their sum is over its target the share shrinks by a
 * third; it grows back a tenth at a time while the sum is under half of it. Live replies and automation are never
 * slowed by it.
 *
 * The two are judged together, not each against a target of its own: in a broadcast's first seconds (its fan-out and
 * the start of sending) the loop is delayed 100-135 ms while acknowledgements take 1-2 ms, which is no danger to them,
 * and cutting the sends' share then only lost the broadcast a tenth of its rate.
 */
export class AckPressure {
  private averageAckMs = 0;
  private share = 1;
  private adjustedAt = -Infinity;
  private acknowledgedAt = -Infinity;

  constructor(
    /** Of the loop's delay and the acknowledgement's time together, in ms. */
    private readonly targetMs = 250,
    private readonly now: () => number = () => performance.now(),
    private readonly loopDelay: LoopDelay = sampledLoopDelay(),
  ) {}

  observe(ackMs: number): void {
    const now = this.now();
    this.averageAckMs = this.averageAckMs * 0.9 + ackMs * 0.1;
    this.acknowledgedAt = now;
    if (now - this.adjustedAt < adjustEveryMs) return;
    this.adjustedAt = now;
    const waitedMs = this.averageAckMs + this.loopDelay.read();
    if (waitedMs > this.targetMs) this.share = Math.max(minimumShare, (this.share * 2) / 3);
    else if (waitedMs < this.targetMs / 2) this.share = Math.min(1, this.share + 0.1);
  }

  /** Stops sampling the event loop (the server's stop: the sampler is not the process's to keep). */
  stop(): void {
    this.loopDelay.stop();
  }

  /** The share (0–1] of each Page's rate its broadcast sends may use now. */
  broadcastShare(): number {
    if (this.now() - this.acknowledgedAt > quietMs) {
      this.share = 1;
      this.averageAckMs = 0;
    }
    return this.share;
  }
}
