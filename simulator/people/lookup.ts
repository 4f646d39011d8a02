import type { SimContext } from '../context';
import { ControlError } from '../control/errors';
import type { PageRecord, PersonRecord, ThreadRecord } from '../records';

export function pageOf(ctx: SimContext, pageId: string): PageRecord {
  const page = ctx.state.pages.get(pageId);
  if (!page) throw new ControlError(404, `unknown page ${pageId}`);
  return page;
}

export function personOf(ctx: SimContext, personId: string): PersonRecord {
  const person = ctx.state.people.get(personId);
  if (!person) throw new ControlError(404, `unknown person ${personId}`);
  return person;
}

/** The person's thread with the Page, created on first contact like Messenger does. */
export function threadOf(ctx: SimContext, personId: string, pageId: string): ThreadRecord {
  pageOf(ctx, pageId);
  personOf(ctx, personId);
  return ctx.state.ensureThread(pageId, personId);
}

export function existingThread(ctx: SimContext, pageId: string, psid: string): ThreadRecord {
  const thread = ctx.state.thread(pageId, psid);
  if (!thread) throw new ControlError(404, `no thread between page ${pageId} and psid ${psid}`);
  return thread;
}

/** What opens (or refreshes) the 24-hour window: messages, postbacks, quick replies, referrals, reactions. */
export function openWindow(ctx: SimContext, thread: ThreadRecord, isMessage: boolean): number {
  const now = ctx.clock.now();
  thread.lastInteractionAt = now;
  if (isMessage) thread.lastMessageAt = now;
  thread.userStarted = true;
  return now;
}
