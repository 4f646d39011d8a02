import type { Types } from 'mongoose';
import { CaptureOutcomeModel, type CaptureOutcome } from '../../models/capture-outcome';
import type { CaptureOutcomeView } from '../../server/realtime/events';

type StoredOutcome = CaptureOutcome & { _id: Types.ObjectId };

export function outcomeView(outcome: StoredOutcome): CaptureOutcomeView {
  return {
    id: outcome._id.toString(),
    captureId: outcome.capture.toString(),
    commentId: outcome.commentId,
    authorName: outcome.authorName ?? null,
    text: outcome.commentText ?? null,
    result: outcome.result,
    reason: outcome.reason ?? null,
    basis: outcome.basis,
    at: outcome.at.toISOString(),
  };
}

/** A capture's outcome log, newest first: `limit` outcomes older than the `cursor` outcome (an id), and the next cursor. */
export async function listOutcomes(
  captureId: Types.ObjectId,
  page: { cursor?: Types.ObjectId | undefined; limit: number },
): Promise<{ data: CaptureOutcomeView[]; nextCursor: string | null }> {
  const outcomes = await CaptureOutcomeModel.find({
    capture: captureId,
    ...(page.cursor ? { _id: { $lt: page.cursor } } : {}),
  })
    .sort({ _id: -1 })
    .limit(page.limit + 1)
    .lean<StoredOutcome[]>();
  const shown = outcomes.slice(0, page.limit);
  const last = shown.at(-1);
  return {
    data: shown.map(outcomeView),
    nextCursor: outcomes.length > page.limit && last ? last._id.toString() : null,
  };
}
