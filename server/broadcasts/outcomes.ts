import type { SendAnswer } from './broadcast-sender';
import { reasonFor } from '../facebook/graph-outcomes';
import type { BroadcastBatchMember } from '../../models/broadcast-batch';
import type { RecipientOutcome } from './batch-claims';

/** What else an answer means beyond the recipient's own status. */
export type SideEffect = 'subscriber_unreachable' | 'page_needs_reauth' | undefined;

/** `tryAgain`: a temporary error; nothing went out, and the member's next try is within `maxAttempts`. */
export type Outcome = { outcome: RecipientOutcome; effect: SideEffect; tryAgain?: true };

/**
 * What Meta's answer means for one recipient (issue 6, docs/messenger-platform.md §2). A send Meta answered is never sent
 * again; a send whose answer never came is `unknown` and not re-sent, because a second message is worse than none.
 * Refusals that mean nothing went out (rate limit, 190, temporary errors) return the recipient to `pending`.
 */
export function outcomeOf(
  member: BroadcastBatchMember,
  answer: Exclude<SendAnswer, { kind: 'not_started' }>,
  now: Date,
  tries: number,
  maxAttempts: number,
): Outcome {
  if (answer.kind === 'sent') {
    return {
      outcome: { member, status: 'sent', messageId: answer.messageId, sentAt: now },
      effect: undefined,
    };
  }
  const { outcome: graph } = answer;
  const reason = reasonFor(graph);
  const code = answer.code === undefined ? graph.kind : `${graph.kind} (${answer.code})`;
  const result = (status: RecipientOutcome['status'], effect?: SideEffect): Outcome => ({
    outcome: { member, status, code, reason },
    effect,
  });
  switch (graph.kind) {
    case 'outside_window':
      return result('skipped');
    case 'user_unavailable':
      return result('skipped', 'subscriber_unreachable');
    case 'token_invalid':
    case 'permission_missing':
      return result('pending', 'page_needs_reauth');
    case 'rate_limited':
      return result('pending');
    case 'retry_later':
      return tries >= maxAttempts ? result('failed') : { ...result('pending'), tryAgain: true };
    case 'unknown_outcome':
      return result('unknown');
    default:
      return result('failed');
  }
}
