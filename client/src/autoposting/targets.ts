import type { AutopostTarget } from '../api/autoposting';

/** What each target does, in the words the screen uses; the server decides who a broadcast may reach. */
export const targetLabels: Record<AutopostTarget, string> = {
  page_feed: 'Post on the Page',
  broadcast: 'Broadcast to subscribers (only people who interacted in the last 24 hours)',
  x_share: 'Share on X (only with the X account owner’s standing consent)',
};

export const targetNames: Record<AutopostTarget, string> = {
  page_feed: 'Page post',
  broadcast: 'Broadcast',
  x_share: 'X',
};

export const allTargets = Object.keys(targetLabels) as AutopostTarget[];
