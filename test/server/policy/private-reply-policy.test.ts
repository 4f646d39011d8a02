import {
  decidePrivateReply,
  type CommentFacts,
  type PrivateReplyContext,
} from '../../../server/policy/private-reply-policy';

const now = new Date('2026-11-23T12:00:00Z');
const PAGE = '500100200300400';
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
const comment = (overrides: Partial<CommentFacts> = {}): CommentFacts => ({
  verb: 'add',
  authorId: '1000000000001',
  createdAt: daysAgo(0),
  ...overrides,
});
const context = (overrides: Partial<PrivateReplyContext> = {}): PrivateReplyContext => ({
  fbPageId: PAGE,
  isKnownPage: false,
  commenterStatus: null,
  automatedSendsPaused: false,
  ...overrides,
});

describe('the private reply policy', () => {
  it.each<[string, CommentFacts, PrivateReplyContext, Record<string, unknown>]>([
    ['a new comment by a stranger may be answered', comment(), context(), { allowed: true }],
    [
      'a new comment by a subscriber may be answered',
      comment(),
      context({ commenterStatus: 'subscribed' }),
      { allowed: true },
    ],
    [
      'a comment of 6 days may still be answered',
      comment({ createdAt: daysAgo(6.9) }),
      context(),
      { allowed: true },
    ],
    [
      'a comment of 7 days may not',
      comment({ createdAt: daysAgo(7) }),
      context(),
      { allowed: false, code: 'too_old' },
    ],
    [
      'an edited comment is not answered',
      comment({ verb: 'edited' }),
      context(),
      { allowed: false, code: 'not_a_new_comment' },
    ],
    [
      'a removed comment is not answered',
      comment({ verb: 'remove' }),
      context(),
      { allowed: false, code: 'not_a_new_comment' },
    ],
    [
      "the Page's own comment is never answered",
      comment({ authorId: PAGE }),
      context(),
      { allowed: false, code: 'own_comment' },
    ],
    [
      "another Page's comment is never answered",
      comment({ authorId: '500100200300999' }),
      context({ isKnownPage: true }),
      { allowed: false, code: 'other_page' },
    ],
    [
      'someone who unsubscribed is not answered',
      comment(),
      context({ commenterStatus: 'unsubscribed' }),
      { allowed: false, code: 'opted_out' },
    ],
    [
      'someone who blocked the Page is not answered',
      comment(),
      context({ commenterStatus: 'blocked' }),
      { allowed: false, code: 'opted_out' },
    ],
    [
      'nothing is answered while automated sends are paused',
      comment(),
      context({ automatedSendsPaused: true }),
      { allowed: false, code: 'page_paused' },
    ],
  ])('%s', (_name, facts, ctx, expected) => {
    expect(decidePrivateReply(facts, ctx, now)).toMatchObject(expected);
  });

  it('says until when the reply may go', () => {
    const decision = decidePrivateReply(comment({ createdAt: daysAgo(1) }), context(), now);
    expect(decision).toEqual({ allowed: true, expiresAt: new Date(daysAgo(1).getTime() + 7 * 86_400_000) });
  });

  it('explains every refusal in words', () => {
    const decision = decidePrivateReply(comment({ verb: 'remove' }), context(), now);
    expect(decision.allowed || decision.reason.length > 10).toBe(true);
  });
});
