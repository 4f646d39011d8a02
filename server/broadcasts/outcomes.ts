import type { SendAnswer } from './broadcast-sender';
import { reasonFor } from '../facebook/graph-outcomes';
import type { ClaimedRecipient, RecipientOutcome } from './recipient-claims';

/** What else an answer means beyond the recipient's own status. */
export type SideEffect = 'subscriber_unreachable' | 'page_needs_reauth' | undefined;

/**
 * What Meta's answer means for one recipient (issue 6, MESSENGER-PLATFORM.md §2). A send Meta answered is never sent
 * again; a send whose answer never came is `unknown` and not re-sent, because a second message is worse than none.
 * Refusals that mean nothing went out (rate limit, 190, temporary errors) return the recipient to `pending`.
 */
export function outcomeOf(
  recipient: ClaimedRecipient,
  answer: Exclude<SendAnswer, { kind: 'not_started' }>,
  now: Date,
  maxAttempts: number,
): { outcome: RecipientOutcome; effect: SideEffect } {
  if (answer.kind === 'sent') {
    return {
      outcome: { recipient, status: 'sent', messageId: answer.messageId, sentAt: now },
      effect: undefined,
    };
  }
  const { outcome: graph } = answer;
  const reason = reasonFor(graph);
  const code = answer.code === undefined ? graph.kind : `${graph.kind} (${answer.code})`;
  const result = (status: RecipientOutcome['status'], effect?: SideEffect) => ({
    outcome: { recipient, status, code, reason },
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
      return result(recipient.attempt >= maxAttempts ? 'failed' : 'pending');
    case 'unknown_outcome':
      return result('unknown');
    default:
      return result('failed');
  }
}
