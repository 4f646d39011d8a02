import type { PageHealthStatus } from '../../models/page';
import { PageModel } from '../../models/page';
import type { AuditActor, AuditTrail } from '../accounts/audit';
import type { GraphOutcome } from '../facebook/graph-outcomes';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { Realtime } from '../realtime/realtime';
import { automationPausesOfPage, pauseAutomation, pauseStateOf, resumeAutomation } from './automation-pause';

export interface HealthChange {
  status: PageHealthStatus;
  reason?: string;
  /** What told us: "Graph answered token_invalid", "the health check found ...". */
  basis: string;
  actor: AuditActor;
}

export interface PageHealth {
  /**
   * Records a health observation once: adds or lifts the connection's pause reasons (never Meta's block or an
   * admin's pause), audits it and tells the admins live.
   */
  changeHealth(pageId: string, change: HealthChange): Promise<boolean>;
  /** Any Graph call made with a Page's token that shows it dead or short of a permission lands here. */
  onGraphAuthProblem(fbPageId: string, outcome: GraphOutcome): Promise<void>;
  /** Facade other features use when they learn a Page needs its admin to reconnect. */
  markNeedsReauth(pageId: string, reason: string): Promise<void>;
}

export interface PageHealthDeps {
  clock: Clock;
  audit: AuditTrail;
  realtime: Pick<Realtime, 'emitToAdmins'>;
  logger: Logger;
}

/** The connection's pause reasons after a health observation; true when one was added or lifted. */
async function applyConnectionPauses(pageId: string, { status, reason }: HealthChange, at: Date) {
  const pause = { since: at, detail: reason };
  if (status === 'needs_reauth') return pauseAutomation(pageId, 'needs_reauth', pause);
  // Any other answer came with a token Facebook accepts, so no reconnect is needed any more.
  const reauthLifted = await resumeAutomation(pageId, 'needs_reauth');
  const permissionChanged =
    status === 'permission_missing'
      ? await pauseAutomation(pageId, 'permission_missing', pause)
      : await resumeAutomation(pageId, 'permission_missing');
  return reauthLifted || permissionChanged;
}

export function createPageHealth({ clock, audit, realtime, logger }: PageHealthDeps): PageHealth {
  async function changeHealth(pageId: string, change: HealthChange) {
    const { status, reason, basis, actor } = change;
    const page = await PageModel.findOne(
      { _id: pageId, connected: true },
      { workspace: 1, fbPageId: 1 },
    ).lean();
    if (!page) return false;
    const at = clock.now();
    // Pauses first: whoever reads the new health reads the pause that goes with it.
    const pausesChanged = await applyConnectionPauses(pageId, change, at);
    // The filter makes the change happen once however many calls notice it at the same moment.
    const observed = await PageModel.updateOne(
      { _id: pageId, 'health.status': { $ne: status } },
      { $set: { health: { status, reason, at } } },
    );
    if (observed.modifiedCount === 0 && !pausesChanged) return false;
    const workspaceId = page.workspace.toString();
    const pauses = await automationPausesOfPage(pageId);
    logger.warn({ pageId, fbPageId: page.fbPageId, status, basis, pauses }, 'page health changed');
    await audit.record({
      workspaceId,
      actor,
      action: `page.health.${status}`,
      object: { kind: 'page', id: pageId },
      basis,
      ...(reason ? { details: { reason } } : {}),
    });
    realtime.emitToAdmins(workspaceId, 'page:health', {
      pageId,
      fbPageId: page.fbPageId,
      status,
      ...(reason ? { reason } : {}),
      at: at.toISOString(),
      ...pauseStateOf(pauses),
    });
    return true;
  }

  return {
    changeHealth,

    async onGraphAuthProblem(fbPageId, outcome) {
      const status = outcome.kind === 'permission_missing' ? 'permission_missing' : 'needs_reauth';
      const reason =
        status === 'needs_reauth'
          ? 'Facebook no longer accepts this Page’s access token. A Page admin needs to reconnect it.'
          : 'The Page no longer grants a permission Pagewire needs. A Page admin needs to reconnect it.';
      const pages = await PageModel.find({ fbPageId, connected: true }, { _id: 1 }).lean();
      for (const page of pages) {
        await changeHealth(page._id.toString(), {
          status,
          reason,
          basis: `a Graph call answered ${outcome.kind}`,
          actor: { kind: 'system', id: 'graph-client' },
        });
      }
    },

    async markNeedsReauth(pageId, reason) {
      await changeHealth(pageId, {
        status: 'needs_reauth',
        reason,
        basis: 'reported by a feature',
        actor: { kind: 'system', id: 'pages' },
      });
    },
  };
}
