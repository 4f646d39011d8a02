import type { SendPurpose } from './send-policy';

/**
 * The consent basis of a send the policy allowed, in the plain words the audit log keeps: which of Meta's rules let
 * it go and the moment that rule counts from. Pure, beside the policy it explains.
 */
export interface AllowedSend {
  purpose: SendPurpose['kind'];
  messagingType: 'RESPONSE' | 'UPDATE' | 'MESSAGE_TAG';
  tag?: string | undefined;
}

export interface ConsentClocks {
  lastInteractionAt: Date | null;
  lastUserMessageAt: Date | null;
}

const at = (moment: Date | null) => (moment ? moment.toISOString() : 'an unknown time');

export function consentBasisOf(send: AllowedSend, clocks: ConsentClocks): string {
  if (send.tag === 'HUMAN_AGENT') {
    return `HUMAN_AGENT tag: an agent's own words within 7 days of the person's message at ${at(clocks.lastUserMessageAt)}.`;
  }
  if (send.purpose === 'opt_out_acknowledgement') {
    return `The one confirmation of an opt-out, within 24 h of the person's message at ${at(clocks.lastInteractionAt)}.`;
  }
  if (send.messagingType === 'MESSAGE_TAG') {
    return `${send.tag ?? 'A message'} tag: a non-promotional update the person's earlier opt-in allows outside 24 h.`;
  }
  return `Replied within 24 h of the person's last interaction at ${at(clocks.lastInteractionAt)}.`;
}

/** A broadcast's basis by its purpose: promotional reaches only people inside 24 h, a tag only its kind of update. */
export function broadcastBasisOf(tag: string | null): string {
  return tag
    ? `Update tagged ${tag}: people in their 24 h window got it as an update, the others under the tag (no promotion allowed); opted-out and blocked people were skipped.`
    : 'Promotional: only people who interacted with the Page in the last 24 h; opted-out and blocked people were skipped.';
}

/** A private reply's basis: Meta allows one per comment, within 7 days of it. */
export function privateReplyBasisOf(commentCreatedAt: Date): string {
  return `Private reply sent to a matching comment: one private reply per comment, within 7 days of the comment made at ${commentCreatedAt.toISOString()}.`;
}

/**
 * A share to X's basis: the account owner's own action for this one post (X's automation rules: post for someone
 * only with their consent). Nothing else lets Pagewire post.
 */
export function xShareBasisOf(share: {
  action: 'share_now' | 'schedule';
  username: string;
  givenAt: Date;
  scheduledFor: Date;
}): string {
  return share.action === 'share_now'
    ? `The owner of @${share.username} pressed Share now at ${share.givenAt.toISOString()}: this one post, at once.`
    : `The owner of @${share.username} scheduled this one post at ${share.givenAt.toISOString()} to go at ${share.scheduledFor.toISOString()}; they could cancel it until then.`;
}
