import { decideSend, type Recipient, type SendPurpose } from '../../../server/policy/send-policy';

const now = new Date('2026-11-23T12:00:00Z');
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
const person = (lastHours: number, overrides: Partial<Recipient> = {}): Recipient => ({
  status: 'subscribed',
  lastInteractionAt: hoursAgo(lastHours),
  lastUserMessageAt: hoursAgo(lastHours),
  ...overrides,
});
const healthy = { automatedSendsPaused: false };

const agent: SendPurpose = { kind: 'agent_reply', humanTyped: true };
const agentTemplate: SendPurpose = { kind: 'agent_reply', humanTyped: false };
const bot: SendPurpose = { kind: 'automated_reply' };
const promo: SendPurpose = { kind: 'broadcast', tag: null };
const shipping: SendPurpose = { kind: 'broadcast', tag: 'POST_PURCHASE_UPDATE' };

describe('the send policy', () => {
  it.each([
    [
      'an agent reply inside 24 h is a RESPONSE',
      agent,
      person(2),
      { allowed: true, messagingType: 'RESPONSE' },
    ],
    [
      'an agent reply after 30 h carries HUMAN_AGENT',
      agent,
      person(30),
      { allowed: true, messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' },
    ],
    [
      'an agent reply after 8 days is refused',
      agent,
      person(8 * 24),
      { allowed: false, code: 'outside_human_agent_window' },
    ],
    [
      'a non-typed agent message after 24 h is refused',
      agentTemplate,
      person(30),
      { allowed: false, code: 'human_agent_needs_human_text' },
    ],
    ['a bot reply inside 24 h is a RESPONSE', bot, person(1), { allowed: true, messagingType: 'RESPONSE' }],
    [
      'a bot never uses HUMAN_AGENT: refused after 24 h',
      bot,
      person(30),
      { allowed: false, code: 'outside_window' },
    ],
    [
      'a promotional broadcast inside 24 h is an UPDATE',
      promo,
      person(23),
      { allowed: true, messagingType: 'UPDATE' },
    ],
    [
      'a promotional broadcast after 24 h is refused',
      promo,
      person(25),
      { allowed: false, code: 'outside_window' },
    ],
    [
      'a tagged broadcast outside the window carries its tag',
      shipping,
      person(72),
      { allowed: true, messagingType: 'MESSAGE_TAG', tag: 'POST_PURCHASE_UPDATE' },
    ],
    [
      'a tagged broadcast inside the window needs no tag',
      shipping,
      person(1),
      { allowed: true, messagingType: 'UPDATE' },
    ],
    [
      'nothing automated reaches an unsubscribed person',
      promo,
      person(1, { status: 'unsubscribed' }),
      { allowed: false, code: 'unsubscribed' },
    ],
    [
      'an agent may still answer an unsubscribed person who writes',
      agent,
      person(1, { status: 'unsubscribed' }),
      { allowed: true, messagingType: 'RESPONSE' },
    ],
    [
      'nobody reaches a person who blocked the Page',
      agent,
      person(1, { status: 'blocked' }),
      { allowed: false, code: 'blocked' },
    ],
    [
      'a person who never interacted is outside every window',
      bot,
      person(0, { lastInteractionAt: null, lastUserMessageAt: null }),
      { allowed: false, code: 'outside_window' },
    ],
  ])('%s', (_name, purpose, recipient, expected) => {
    expect(decideSend(purpose, recipient, healthy, now)).toMatchObject(expected);
  });

  it('pauses automated sends on a Page that needs re-authorisation, but not agent replies', () => {
    const paused = { automatedSendsPaused: true };
    expect(decideSend(bot, person(1), paused, now)).toMatchObject({ allowed: false, code: 'page_paused' });
    expect(decideSend(agent, person(1), paused, now)).toMatchObject({ allowed: true });
  });

  it('tells when the window closed, so the agent sees why', () => {
    const decision = decideSend(promo, person(30), healthy, now);
    expect(decision).toMatchObject({
      allowed: false,
      closedAt: new Date(hoursAgo(30).getTime() + 24 * 3_600_000),
    });
  });

  it('allows the single opt-out acknowledgement to an unsubscribed person inside the window', () => {
    const decision = decideSend(
      { kind: 'opt_out_acknowledgement' },
      person(0, { status: 'unsubscribed' }),
      healthy,
      now,
    );
    expect(decision).toMatchObject({ allowed: true, messagingType: 'RESPONSE' });
  });
});
