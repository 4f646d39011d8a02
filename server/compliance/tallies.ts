import type { Types } from 'mongoose';
import { ComplianceTallyModel, type ComplianceMeasure } from '../../models/compliance-tally';
import type { Clock } from '../platform/clock';
import { isDuplicateKey } from '../platform/database/duplicate-key';
import type { Logger } from '../platform/logger';

type Id = Types.ObjectId | string | { toString(): string };

export interface TallyEntry {
  workspaceId: Id;
  pageId: Id;
  measure: ComplianceMeasure;
  reason: string;
  source: 'broadcast' | 'bot' | 'capture' | 'agent' | 'person';
  description: string;
  /** Defaults to one. */
  count?: number;
}

/** A refused or failed send as the compliance screen groups it: our policy's code, or Meta's outcome and code. */
export type Refusal =
  { by: 'policy'; code: string } | { by: 'meta'; outcome: string; metaCode?: number | undefined };

export const refusalReason = (refusal: Refusal): string =>
  refusal.by === 'policy'
    ? `policy:${refusal.code}`
    : `meta:${refusal.outcome}${refusal.metaCode !== undefined ? `:${refusal.metaCode}` : ''}`;

/** The UTC day of a moment, as tallies are kept. */
export const dayOf = (at: Date): string => at.toISOString().slice(0, 10);

export interface ComplianceTallies {
  /** Counts now, without holding up the caller; a failed count is logged, never thrown. */
  countAfter(entry: TallyEntry): void;
  settled(): Promise<void>;
}

/** The per-day counters behind the compliance charts (models/compliance-tally.ts). */
export function createComplianceTallies(clock: Clock, logger: Logger): ComplianceTallies {
  const inFlight = new Set<Promise<void>>();
  async function count(entry: TallyEntry): Promise<void> {
    const key = {
      workspace: String(entry.workspaceId),
      measure: entry.measure,
      day: dayOf(clock.now()),
      page: String(entry.pageId),
      reason: entry.reason,
      source: entry.source,
    };
    const update = { $inc: { count: entry.count ?? 1 }, $set: { description: entry.description } };
    const upsert = () => ComplianceTallyModel.updateOne(key, update, { upsert: true });
    // Two first counts of a day can race to the insert; the loser's retry increments the winner's document.
    await upsert().catch((error: unknown) => (isDuplicateKey(error) ? upsert() : Promise.reject(error)));
  }
  return {
    countAfter(entry) {
      const write = count(entry)
        .catch((error: unknown) => {
          logger.error({ err: error, measure: entry.measure, reason: entry.reason }, 'could not count');
        })
        .finally(() => inFlight.delete(write));
      inFlight.add(write);
    },
    async settled() {
      await Promise.all([...inFlight]);
    },
  };
}
