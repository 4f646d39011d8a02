import { BotProfileCallModel } from '../../models/bot-profile-call';
import { DomainError } from '../../server/platform/errors';

/** Meta allows 10 Messenger Profile calls per 10 minutes per Page; we refuse before Meta has to. */
export class ProfileBudgetSpent extends DomainError {
  readonly status = 429;
  readonly type = 'rate-limited';
}

const BUDGET_CALLS = 10;
const BUDGET_WINDOW_MS = 10 * 60 * 1000;

/**
 * Spends one of the Page's ten calls, or throws ProfileBudgetSpent. The call is inserted first and then ranked among
 * the window's calls (by time, then id): only the first ten may go, so two processes racing for the tenth call cannot
 * both win. A refused call is taken back so it does not hold a place.
 */
export async function spendProfileCall(fbPageId: string, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - BUDGET_WINDOW_MS);
  await BotProfileCallModel.deleteMany({ fbPageId, at: { $lte: windowStart } });
  const call = await BotProfileCallModel.create({ fbPageId, at: now });
  const allowed = await BotProfileCallModel.find({ fbPageId, at: { $gt: windowStart } })
    .sort({ at: 1, _id: 1 })
    .limit(BUDGET_CALLS)
    .lean();
  if (allowed.some((spent) => spent._id.equals(call._id))) return;
  await BotProfileCallModel.deleteOne({ _id: call._id });
  const oldest = allowed[0]?.at ?? now;
  const retryAt = new Date(oldest.getTime() + BUDGET_WINDOW_MS);
  throw new ProfileBudgetSpent(
    `Facebook allows 10 Messenger Profile changes per 10 minutes per Page; try again after ${retryAt.toISOString()}.`,
    { retryAt: retryAt.toISOString() },
  );
}
