import type { BroadcastState } from '../../models/broadcast';
import { Conflict } from '../platform/errors';

/** Every move a broadcast may make, in one table: `draft -> scheduled -> sending <-> paused -> completed | ...`. */
const allowedTransitions: Record<BroadcastState, readonly BroadcastState[]> = {
  // A draft is edited in place; a scheduled broadcast may be edited (back to draft) or moved to another time.
  draft: ['draft', 'scheduled', 'sending', 'cancelled'],
  scheduled: ['draft', 'scheduled', 'sending', 'cancelled'],
  sending: ['paused', 'completed', 'cancelled', 'failed'],
  paused: ['sending', 'cancelled', 'failed'],
  completed: [],
  cancelled: [],
  failed: [],
};

export function canMove(from: BroadcastState, to: BroadcastState): boolean {
  return allowedTransitions[from].includes(to);
}

export function assertCanMove(from: BroadcastState, to: BroadcastState): void {
  if (!canMove(from, to)) throw new Conflict(`A ${from} broadcast cannot become ${to}.`, { from, to });
}

/** The states a move to `to` may start from, for a filter that makes the move once. */
export function statesThatMayBecome(to: BroadcastState): BroadcastState[] {
  return (Object.keys(allowedTransitions) as BroadcastState[]).filter((from) => canMove(from, to));
}
