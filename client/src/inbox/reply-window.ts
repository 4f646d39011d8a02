import { useEffect, useState } from 'react';
import type { ConversationDetail } from '../api/types';
import { fullDate, spokenDuration } from './time';

/**
 * What the reply box may send now, from the two windows the server computes (server/policy/messaging-windows.ts):
 * inside 24 h of the person's last message anything; until 7 days a typed reply by a human agent (the HUMAN_AGENT
 * tag: text only); after that nothing but internal notes.
 */
export type ReplyWindow =
  | { kind: 'standard'; closesInMs: number; words: string }
  | { kind: 'human_agent'; until: string; words: string }
  | { kind: 'closed'; words: string };

export function replyWindowAt(
  detail: Pick<ConversationDetail, 'standardWindowClosesAt' | 'humanAgentWindowClosesAt'>,
  now: number,
): ReplyWindow {
  const standard = detail.standardWindowClosesAt ? Date.parse(detail.standardWindowClosesAt) : null;
  const humanAgent = detail.humanAgentWindowClosesAt ? Date.parse(detail.humanAgentWindowClosesAt) : null;
  if (standard !== null && standard > now) {
    const closesInMs = standard - now;
    return {
      kind: 'standard',
      closesInMs,
      words: `Standard reply window closes in ${spokenDuration(closesInMs)}.`,
    };
  }
  if (humanAgent !== null && humanAgent > now) {
    const until = new Date(humanAgent).toISOString();
    return {
      kind: 'human_agent',
      until,
      words: `Human agent reply: typed text only, until ${fullDate(until)}.`,
    };
  }
  return {
    kind: 'closed',
    words:
      'Messaging window closed: the person last wrote more than 7 days ago, so Messenger allows no reply until they ' +
      'write again. Internal notes are still allowed.',
  };
}

/** The server's time (the windows are on its clock), moving on every 30 seconds while the thread is open. */
export function useServerNow(serverOffsetMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now + serverOffsetMs;
}
