import type { PageHealthStatus } from '../../models/page';
import { PageModel } from '../../models/page';
import type { AuditActor, AuditTrail } from '../accounts/audit';
import type { GraphOutcome } from '../facebook/graph-outcomes';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { Realtime } from '../realtime/realtime';

export interface HealthChange {
  status: PageHealthStatus;
  reason?: string;
  /** What told us: "Graph answered token_invalid", "the health check found ...". */
  basis: string;
  actor: AuditActor;
}

export interface PageHealth {
  /** Records a new health state once: pauses (or resumes) automated sends, audits it and tells the admins live. */
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

export function createPageHealth({ clock, audit, realtime, logger }: PageHealthDeps): PageHealth {
  async function changeHealth(pageId: string, { status, reason, basis, actor }: HealthChange) {
    const at = clock.now();
    // The filter makes the change happen once however many calls notice it at the same moment.
    const changed = await PageModel.updateOne(
      { _id: pageId, connected: true, 'health.status': { $ne: status } },
      { $set: { health: { status, reason, at }, automatedSendsPaused: status !== 'ok' } },
    );
    if (changed.modifiedCount === 0) return false;
    const page = await PageModel.findById(pageId, { workspace: 1, fbPageId: 1 }).lean();
    if (!page) return false;
    const workspaceId = page.workspace.toString();
    logger.warn({ pageId, fbPageId: page.fbPageId, status, basis }, 'page health changed');
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
      automatedSendsPaused: status !== 'ok',
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
