import type { Types } from 'mongoose';
import { ComplianceTallyModel, type ComplianceMeasure } from '../../models/compliance-tally';
import type { Clock } from '../platform/clock';
import { isDuplicateKey } from '../platform/database/duplicate-key';
import { groupCommit } from '../platform/group-commit';
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
  /** `id` names the tally: its key as text. */
  type Count = { id: string; key: Record<string, string>; count: number; description: string };

  async function add({ key, count, description }: Count): Promise<void> {
    const update = { $inc: { count }, $set: { description } };
    const upsert = () => ComplianceTallyModel.updateOne(key, update, { upsert: true });
    // Two first counts of a day can race to the insert; the loser's retry increments the winner's document.
    await upsert().catch((error: unknown) => (isDuplicateKey(error) ? upsert() : Promise.reject(error)));
  }

  /**
   * Counts that arrive while the last write is on its way go together in the next, one upsert per tally: a burst of
   * first messages (each an opt-in) or of refusals increments one document once instead of queueing on it. Answers
   * each count's failure, or null.
   */
  const addTogether = groupCommit(async (counts: Count[]): Promise<unknown[]> => {
    const tallies = new Map<string, Count>();
    for (const next of counts) {
      const known = tallies.get(next.id);
      // The later description stands, as it would have had each count its own write.
      tallies.set(next.id, known ? { ...next, count: known.count + next.count } : next);
    }
    const failures = new Map<string, unknown>();
    await Promise.all(
      [...tallies.values()].map((tally) =>
        add(tally).catch((error: unknown) => failures.set(tally.id, error)),
      ),
    );
    return counts.map((next) => failures.get(next.id) ?? null);
  });

  return {
    countAfter(entry) {
      // The day is the day of the count, not of the write that carries it.
      const key = {
        workspace: String(entry.workspaceId),
        measure: entry.measure,
        day: dayOf(clock.now()),
        page: String(entry.pageId),
        reason: entry.reason,
        source: entry.source,
      };
      const count = entry.count ?? 1;
      const write = addTogether({ id: JSON.stringify(key), key, count, description: entry.description })
        .then((error) => {
          if (error)
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
