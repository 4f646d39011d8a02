import { PageModel } from '../../models/page';
import type { StoredPageEvent } from '../../webhooks/handler-registry';
import type { PageAccess } from '../pages/page-access';
import type { StoredPage } from '../pages/page-view';
import type { Logger } from '../platform/logger';
import type { Realtime } from '../realtime/realtime';
import { objectAt, stringAt } from './person-actions';

export interface PolicyEnforcementDeps {
  pageAccess: Pick<PageAccess, 'findConnectedByFbPageId'>;
  realtime: Pick<Realtime, 'emitToAdmins'>;
  logger: Logger;
}

type PolicyAction = 'warning' | 'block' | 'unblock';
const isPolicyAction = (value: string | undefined): value is PolicyAction =>
  value === 'warning' || value === 'block' || value === 'unblock';

/** The reason admins read: Meta's own words when it sends them. */
function reasonFor(action: PolicyAction, metaReason: string | undefined): string {
  const because = metaReason ? `: ${metaReason}` : '.';
  if (action === 'block')
    return `Meta blocked this Page’s messaging; automated messages are paused${because}`;
  if (action === 'unblock') return `Meta lifted the block on this Page’s messaging${because}`;
  return `Meta warned this Page about a messaging policy${because}`;
}

/**
 * The Page's automated sends after the event. `block` pauses them. `unblock` resumes them only while the Page's
 * connection is healthy: a Page whose token died meanwhile stays paused until an admin reconnects it. `warning`
 * changes nothing. The filter makes a redelivery or a retry a no-op.
 */
async function applyToPage(page: StoredPage, action: PolicyAction): Promise<boolean> {
  if (action === 'warning') return page.automatedSendsPaused;
  const pause = action === 'block';
  await PageModel.updateOne(
    {
      _id: page._id,
      connected: true,
      automatedSendsPaused: !pause,
      ...(pause ? {} : { 'health.status': 'ok' }),
    },
    { $set: { automatedSendsPaused: pause } },
  );
  const now = await PageModel.findById(page._id, { automatedSendsPaused: 1 }).lean();
  return now?.automatedSendsPaused ?? pause;
}

/**
 * `messaging_policy_enforcement` (docs/messenger-platform.md §1.5): `{recipient: {id: PAGE_ID}, policy_enforcement:
 * {action: warning|block|unblock, reason}}`. It is about the Page, not a person: there is no sender and no PSID.
 *
 * So it unsubscribes nobody. A `block` means Meta stopped this app messaging on the Page; the people who opted in did
 * not opt out, and unsubscribing all of them would destroy consent that outlives the block. What the block does
 * change is whether we may send: every connected copy of the Page gets its automated sends (bots, captures,
 * broadcasts) paused at once, through the same `automatedSendsPaused` flag the send policy already honours, and the
 * workspace's admins are told live with Meta's reason. `unblock` resumes them; `warning` only tells the admins.
 * Agent replies are not paused: Meta is the judge of those and its refusal lands on the message.
 */
export async function applyPolicyEnforcement(
  deps: PolicyEnforcementDeps,
  event: StoredPageEvent,
): Promise<void> {
  const enforcement = objectAt(event.payload, 'policy_enforcement');
  const action = stringAt(enforcement, 'action');
  const log = deps.logger.child({ fbPageId: event.fbPageId, action });
  if (!isPolicyAction(action)) {
    log.warn('policy enforcement event with an unknown action; nothing changed');
    return;
  }
  const reason = reasonFor(action, stringAt(enforcement, 'reason'));
  for (const page of await deps.pageAccess.findConnectedByFbPageId(event.fbPageId)) {
    const automatedSendsPaused = await applyToPage(page, action);
    const pageId = page._id.toString();
    log[action === 'unblock' ? 'info' : 'warn']({ pageId, automatedSendsPaused }, 'meta policy enforcement');
    deps.realtime.emitToAdmins(page.workspace.toString(), 'page:health', {
      pageId,
      fbPageId: page.fbPageId,
      status: page.health?.status ?? 'ok',
      reason,
      at: event.occurredAt.toISOString(),
      automatedSendsPaused,
    });
  }
}
