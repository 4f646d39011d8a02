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

/** Autoposting's Page post: the Page's admin chose to have the feed's new items published there. */
export function autopostPagePostBasisOf(feedName: string, chosenAt: Date): string {
  return `Autoposting: a workspace admin chose at ${chosenAt.toISOString()} to publish the new items of the feed "${feedName}" on the Page.`;
}

/** Autoposting's broadcast: a promotional broadcast, so only people inside their 24-hour window. */
export function autopostBroadcastBasisOf(feedName: string): string {
  return `Autoposting of the feed "${feedName}". ${broadcastBasisOf(null)}`;
}

/** An X share on the account owner's standing consent, read at the moment of sharing. */
export function xStandingConsentBasisOf(
  consent: { xAccountId: string; xUsername: string; grantedBy: string; grantedAt: Date },
  feedName: string,
): string {
  return `Standing consent of the owner of @${consent.xUsername} (X account ${consent.xAccountId}, user ${consent.grantedBy}), given at ${consent.grantedAt.toISOString()}, to share the new items of the feed "${feedName}"; revocable at any time, and not revoked.`;
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
