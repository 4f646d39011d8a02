import type { BroadcastPurpose, BroadcastState, Estimate } from '../api/broadcasts';

/** The broadcasts screen's words for the server's codes, in one place. */

export const purposeWords: Record<BroadcastPurpose, { label: string; explained: string }> = {
  promotional: {
    label: 'Promotion',
    explained:
      'Anything, offers included. Goes only to people who interacted with the Page in the last 24 hours: Facebook forbids promotions after that.',
  },
  CONFIRMED_EVENT_UPDATE: {
    label: 'Event update',
    explained:
      'A reminder or change about an event the person signed up for. Also reaches people outside the 24 hours, but must contain no promotion.',
  },
  POST_PURCHASE_UPDATE: {
    label: 'Order update',
    explained:
      'About something the person bought: confirmation, shipping, delivery. Also reaches people outside the 24 hours, but must contain no promotion.',
  },
  ACCOUNT_UPDATE: {
    label: 'Account update',
    explained:
      'A change to the person’s account or application. Also reaches people outside the 24 hours, but must contain no promotion.',
  },
};

export const stateWords: Record<BroadcastState, { label: string; tone: string }> = {
  draft: { label: 'Draft', tone: 'bg-slate-100 text-slate-800' },
  scheduled: { label: 'Scheduled', tone: 'bg-brand-100 text-brand-700' },
  sending: { label: 'Sending', tone: 'bg-amber-100 text-amber-900' },
  paused: { label: 'Paused', tone: 'bg-amber-100 text-amber-900' },
  completed: { label: 'Completed', tone: 'bg-emerald-100 text-emerald-900' },
  cancelled: { label: 'Cancelled', tone: 'bg-slate-200 text-slate-800' },
  failed: { label: 'Failed', tone: 'bg-red-100 text-red-900' },
};

/** Who the estimate leaves out and why, in the order a marketer reads them, each with its bar colour. */
export const exclusionWords: { key: keyof Estimate['excluded']; label: string; colour: string }[] = [
  { key: 'outsideWindow', label: 'Outside the 24-hour window', colour: 'bg-amber-500' },
  { key: 'unsubscribed', label: 'Opted out', colour: 'bg-slate-500' },
  { key: 'blocked', label: 'Blocked the Page or unreachable', colour: 'bg-red-600' },
  { key: 'pageNeedsReauth', label: 'Page needs reconnecting', colour: 'bg-purple-600' },
  { key: 'filteredOut', label: 'Not in this audience', colour: 'bg-slate-300' },
];

export const optInSourceWords: Record<string, string> = {
  message: 'Wrote to the Page',
  postback: 'Tapped a button',
  get_started: 'Tapped Get Started',
  referral: 'Opened an m.me link or ad',
  optin: 'Opted in with a plugin',
  reaction: 'Reacted to a message',
  comment: 'Commented on a post',
};

export const recipientStatusWords: Record<string, string> = {
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  clicked: 'Clicked',
  skipped: 'Skipped',
  failed: 'Failed',
  unknown: 'Unknown',
  pending: 'Waiting',
};
