import type { Agenda } from 'agenda';
import type { PageCredentials } from '../facebook/graph-types';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { SubscriberService } from '../subscribers/subscriber-service';
import type { BroadcastSender } from './broadcast-sender';
import type { BroadcastSummary } from './summary';
import type { ProgressReporter } from './progress';

export interface BroadcastTuning {
  /** Recipients per batch: the fan-out writes them, a worker claims and sends them, together. */
  batchSize: number;
  /** Batches of one Page in the governor at once, so claiming the next overlaps sending the last. */
  batchesInFlight: number;
  /** How long a claim is a worker's before another may take it over. */
  leaseMs: number;
  /** A send is not started later than this before the lease ends: its answer must be recorded inside the lease. */
  answerMarginMs: number;
  /** Attempts after temporary Meta errors before a recipient is `failed`. */
  maxAttempts: number;
  /** Wait before the next try after a temporary Meta error (times the try), and before a held batch is looked at. */
  retryDelayMs: number;
  /** How often a Page's sender looks for the next batch while the fan-out is still writing them. */
  fanOutPollMs: number;
  /** A lane that has not grown for this long while its fan-out is unfinished gets its fan-out started again. */
  fanOutStallMs: number;
  /** Outcomes that arrive within this are written together. */
  recordEveryMs: number;
  progressEveryMs: number;
}

export const defaultBroadcastTuning: BroadcastTuning = {
  batchSize: 50,
  batchesInFlight: 4,
  leaseMs: 120_000,
  answerMarginMs: 60_000,
  maxAttempts: 3,
  retryDelayMs: 1_000,
  fanOutPollMs: 100,
  fanOutStallMs: 60_000,
  recordEveryMs: 20,
  progressEveryMs: 1_000,
};

/** What the broadcast jobs need from the rest of the product, passed in so the jobs know no other feature. */
export interface BroadcastJobDeps {
  clock: Clock;
  logger: Logger;
  /** Names this process in its claims. */
  worker: string;
  sender: BroadcastSender;
  credentialsFor(workspaceId: string, pageId: string): Promise<PageCredentials>;
  markNeedsReauth(pageId: string, reason: string): Promise<void>;
  /** Meta answered 551 for this subscriber: the subscriber service's one rule for it. */
  markUnreachable: SubscriberService['markUnreachable'];
  /** Base of tracked links, e.g. `https://app.example.com`. */
  publicUrl: string;
  progress: ProgressReporter;
  /** A broadcast that ended is audited per Page with its totals. */
  summary: BroadcastSummary;
  agenda(): Agenda;
  tuning: BroadcastTuning;
}

export const startJobName = 'broadcast:start';
export const sendBatchJobName = 'broadcast:send-batch';
