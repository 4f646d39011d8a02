import { automationPauseReasons, PageModel, type AutomationPauseReason, type Page } from '../../models/page';

/**
 * The one writer of a Page's automation pauses. Automated sends (bots, captures, broadcasts) are paused while any
 * reason is present, and each reason is lifted only by its own event: Meta's `unblock` lifts `blocked_by_meta`, a
 * reconnect or a passing health check lifts the connection's reasons, an admin lifts `paused_by_admin`. So a
 * reconnect never lifts Meta's block. Every write is one single-document update of one reason's own field, so two
 * paths racing cannot lose each other's reason.
 */

export interface AutomationPause {
  reason: AutomationPauseReason;
  since: Date;
  detail?: string | null;
}

type PausedPage = Pick<Page, 'automationPauses'>;

const pathOf = (reason: AutomationPauseReason) => `automationPauses.${reason}`;

/** The reasons present on a Page, oldest first. */
export function automationPausesOf(page: Partial<PausedPage>): AutomationPause[] {
  const pauses = page.automationPauses;
  if (!pauses) return [];
  return automationPauseReasons
    .flatMap((reason) => {
      const pause = pauses[reason];
      return pause ? [{ reason, since: pause.since, ...(pause.detail ? { detail: pause.detail } : {}) }] : [];
    })
    .sort((a, b) => a.since.getTime() - b.since.getTime());
}

export const isAutomationPaused = (page: Partial<PausedPage>): boolean => automationPausesOf(page).length > 0;

/** What the dashboard is told live alongside a health or policy event. */
export const pauseStateOf = (pauses: AutomationPause[]) => ({
  automatedSendsPaused: pauses.length > 0,
  pauseReasons: pauses.map((pause) => pause.reason),
});

/** Adds one reason; true when it was not there yet (a redelivered or concurrent pause is a no-op). */
export async function pauseAutomation(
  pageId: string,
  reason: AutomationPauseReason,
  pause: { since: Date; detail?: string | undefined },
): Promise<boolean> {
  const changed = await PageModel.updateOne(
    { _id: pageId, [pathOf(reason)]: { $exists: false } },
    { $set: { [pathOf(reason)]: pause } },
  );
  return changed.modifiedCount > 0;
}

/** Lifts one reason and only that one; true when it was there. */
export async function resumeAutomation(pageId: string, reason: AutomationPauseReason): Promise<boolean> {
  const changed = await PageModel.updateOne(
    { _id: pageId, [pathOf(reason)]: { $exists: true } },
    { $unset: { [pathOf(reason)]: 1 } },
  );
  return changed.modifiedCount > 0;
}

export async function automationPausesOfPage(pageId: string): Promise<AutomationPause[]> {
  return automationPausesOf((await PageModel.findById(pageId, { automationPauses: 1 }).lean()) ?? {});
}

/**
 * Startup migration of Pages stored when one `automatedSendsPaused` flag was written by every path. A paused Page
 * gets the reason the flag most likely stood for: its unhealthy connection if it had one, else Meta's block (the
 * only other writer). Only Pages that still carry the flag are touched, so running it again changes nothing.
 */
export async function migrateLegacyPauseFlag(now: Date): Promise<void> {
  // The raw collection: the flag is no longer in the schema, and mongoose would strip it from the update.
  const pages = PageModel.collection;
  const legacy: [Record<string, unknown>, AutomationPauseReason][] = [
    [{ 'health.status': 'needs_reauth' }, 'needs_reauth'],
    [{ 'health.status': 'permission_missing' }, 'permission_missing'],
    [{ 'health.status': { $nin: ['needs_reauth', 'permission_missing'] } }, 'blocked_by_meta'],
  ];
  for (const [health, reason] of legacy) {
    await pages.updateMany(
      { automatedSendsPaused: true, ...health },
      { $set: { [pathOf(reason)]: { since: now, detail: 'Paused before pause reasons were recorded.' } } },
    );
  }
  await pages.updateMany(
    { automatedSendsPaused: { $exists: true } },
    { $unset: { automatedSendsPaused: '' } },
  );
}
