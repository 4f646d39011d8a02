import type { StoredPageEvent } from '../../webhooks/handler-registry';
import type { AuditTrail } from '../accounts/audit';
import { automationPausesOfPage, pauseStateOf } from '../pages/automation-pause';
import type { PageAccess } from '../pages/page-access';
import type { Logger } from '../platform/logger';
import type { Realtime } from '../realtime/realtime';
import { objectAt, stringAt } from './person-actions';

export interface PolicyEnforcementDeps {
  pageAccess: Pick<PageAccess, 'findConnectedByFbPageId' | 'pauseAutomation' | 'resumeAutomation'>;
  realtime: Pick<Realtime, 'emitToAdmins'>;
  audit: Pick<AuditTrail, 'recordAfter'>;
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
 * `block` adds the `blocked_by_meta` pause reason and `unblock` lifts that one alone: a Page whose token died
 * meanwhile, or that an admin paused, stays paused for that reason. `warning` changes nothing. Adding a reason that
 * is there, or lifting one that is not, is a no-op, so a redelivery changes nothing.
 */
async function applyToPage(
  { pageAccess }: PolicyEnforcementDeps,
  pageId: string,
  action: PolicyAction,
  pause: { since: Date; detail: string | undefined },
) {
  if (action === 'block') await pageAccess.pauseAutomation(pageId, 'blocked_by_meta', pause);
  if (action === 'unblock') await pageAccess.resumeAutomation(pageId, 'blocked_by_meta');
  return pauseStateOf(await automationPausesOfPage(pageId));
}

/**
 * `messaging_policy_enforcement` (docs/messenger-platform.md §1.5): `{recipient: {id: PAGE_ID}, policy_enforcement:
 * {action: warning|block|unblock, reason}}`. It is about the Page, not a person: there is no sender and no PSID.
 *
 * So it unsubscribes nobody. A `block` means Meta stopped this app messaging on the Page; the people who opted in did
 * not opt out, and unsubscribing all of them would destroy consent that outlives the block. What the block does
 * change is whether we may send: every connected copy of the Page gets its automated sends (bots, captures,
 * broadcasts) paused at once, by the `blocked_by_meta` pause reason the send policy honours, and the workspace's
 * admins are told live with Meta's reason. `unblock` lifts that reason; `warning` only tells the admins.
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
  const metaReason = stringAt(enforcement, 'reason');
  const reason = reasonFor(action, metaReason);
  for (const page of await deps.pageAccess.findConnectedByFbPageId(event.fbPageId)) {
    const pageId = page._id.toString();
    const pauses = await applyToPage(deps, pageId, action, { since: event.occurredAt, detail: metaReason });
    log[action === 'unblock' ? 'info' : 'warn']({ pageId, ...pauses }, 'meta policy enforcement');
    deps.realtime.emitToAdmins(page.workspace.toString(), 'page:health', {
      pageId,
      fbPageId: page.fbPageId,
      status: page.health?.status ?? 'ok',
      reason,
      at: event.occurredAt.toISOString(),
      ...pauses,
    });
    void deps.audit.recordAfter({
      workspaceId: page.workspace.toString(),
      pageId,
      actor: { kind: 'meta', id: 'policy-enforcement' },
      action: `page.policy.${action}`,
      object: { kind: 'page', id: pageId },
      basis: reason,
      details: { ...(metaReason ? { metaReason } : {}), eventKey: event.key, ...pauses },
    });
  }
}
