import { BotProfileSlotModel } from '../../models/bot-profile-slot';
import { isDuplicateKey } from '../../server/platform/database/duplicate-key';
import { DomainError } from '../../server/platform/errors';

/** Meta allows 10 Messenger Profile calls per 10 minutes per Page; we refuse before Meta has to. */
export class ProfileBudgetSpent extends DomainError {
  readonly status = 429;
  readonly type = 'rate-limited';
}

const BUDGET_CALLS = 10;
const BUDGET_WINDOW_MS = 10 * 60 * 1000;

export interface ProfileBudget {
  /** Calls allowed per window (Meta's 10). */
  limit: number;
  windowMinutes: number;
  /** Calls left right now. */
  remaining: number;
  /** When the oldest call of the window stops counting; null while calls are left. */
  nextFreeAt: string | null;
}

/** What is left of the Page's budget at `now`, read without spending any of it. */
export async function profileBudget(fbPageId: string, now: Date): Promise<ProfileBudget> {
  const windowStart = now.getTime() - BUDGET_WINDOW_MS;
  const inWindow = (await BotProfileSlotModel.find({ fbPageId }).lean())
    .map((slot) => slot.at.getTime())
    .filter((at) => at > windowStart);
  const remaining = Math.max(0, BUDGET_CALLS - inWindow.length);
  const oldest = Math.min(...inWindow);
  return {
    limit: BUDGET_CALLS,
    windowMinutes: BUDGET_WINDOW_MS / 60_000,
    remaining,
    nextFreeAt: remaining === 0 ? new Date(oldest + BUDGET_WINDOW_MS).toISOString() : null,
  };
}

/**
 * Spends one of the Page's ten calls, or throws ProfileBudgetSpent: takes a free slot, or one whose call is 10
 * minutes old (models/bot-profile-slot.ts). Two callers racing for one slot cannot both take it; the loser tries the
 * next.
 */
export async function spendProfileCall(fbPageId: string, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - BUDGET_WINDOW_MS);
  const slots = await BotProfileSlotModel.find({ fbPageId }).lean();
  const used = new Set(slots.map((slot) => slot.slot));
  const unused = Array.from({ length: BUDGET_CALLS }, (_, slot) => slot).filter((slot) => !used.has(slot));
  const expired = slots.filter((slot) => slot.at <= windowStart).map((slot) => slot.slot);
  for (const slot of unused) {
    try {
      await BotProfileSlotModel.create({ fbPageId, slot, at: now });
      return;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
  for (const slot of expired) {
    const taken = await BotProfileSlotModel.updateOne(
      { fbPageId, slot, at: { $lte: windowStart } },
      { $set: { at: now } },
    );
    if (taken.matchedCount === 1) return;
  }
  const oldest = Math.min(
    ...slots.map((slot) => slot.at.getTime()).filter((at) => at > windowStart.getTime()),
  );
  const retryAt = new Date((Number.isFinite(oldest) ? oldest : now.getTime()) + BUDGET_WINDOW_MS);
  throw new ProfileBudgetSpent(
    `Facebook allows 10 Messenger Profile changes per 10 minutes per Page; try again after ${retryAt.toISOString()}.`,
    { retryAt: retryAt.toISOString() },
  );
}
