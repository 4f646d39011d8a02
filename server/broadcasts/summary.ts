import { Types } from 'mongoose';
import type { BroadcastRecord } from '../../models/broadcast';
import { BroadcastRecipientModel } from '../../models/broadcast-recipient';
import type { AuditActor, AuditTrail } from '../accounts/audit';
import { refusalReason, type ComplianceTallies, type Refusal } from '../compliance/tallies';
import type { Logger } from '../platform/logger';
import { broadcastBasisOf } from '../policy/consent-basis';
import { refusalCodes } from '../policy/send-policy';
import { sendPurposeOf } from './audience';
import { totalsOf } from './stats';

export interface BroadcastSummaryDeps {
  audit: Pick<AuditTrail, 'recordAfter'>;
  tallies: Pick<ComplianceTallies, 'countAfter'>;
  logger: Logger;
}

/** A recipient's code as its outcome wrote it (`outcomes.ts`): a policy code, or Meta's outcome with its code. */
function refusalOf(code: string): Refusal {
  if ((refusalCodes as readonly string[]).includes(code)) return { by: 'policy', code };
  const withMetaCode = /^(\w+) \((\d+)\)$/u.exec(code);
  return withMetaCode
    ? { by: 'meta', outcome: withMetaCode[1]!, metaCode: Number(withMetaCode[2]) }
    : { by: 'meta', outcome: code };
}

/** The refused and failed recipients of a broadcast by Page, code and reason, read by the `broadcast` index. */
async function refusalsOf(broadcastId: Types.ObjectId) {
  return BroadcastRecipientModel.aggregate<{
    _id: { page: Types.ObjectId; code?: string; reason?: string };
    n: number;
  }>([
    { $match: { broadcast: broadcastId, status: { $in: ['skipped', 'failed'] } } },
    { $group: { _id: { page: '$page', code: '$code', reason: '$reason' }, n: { $sum: 1 } } },
  ]);
}

/**
 * A broadcast that completed or was cancelled after it started is audited once per Page with that Page's totals
 * (the log is read per Page), never per recipient; its refused sends are counted for the compliance screen. Called
 * by whoever made the move, which happens once; runs after it, off the sender's way.
 */
export function createBroadcastSummary(deps: BroadcastSummaryDeps) {
  async function summarise(broadcast: BroadcastRecord, actor: AuditActor): Promise<void> {
    const [{ byPage }, refusals] = await Promise.all([
      totalsOf(broadcast._id.toString()),
      refusalsOf(broadcast._id),
    ]);
    const { tag } = sendPurposeOf(broadcast.purpose) as { tag: string | null };
    const workspaceId = broadcast.workspace.toString();
    for (const page of broadcast.pages) {
      const pageId = page.toString();
      const refused = refusals.filter((group) => group._id.page.toString() === pageId);
      void deps.audit.recordAfter({
        workspaceId,
        pageId,
        actor,
        action: `broadcast.${broadcast.state}`,
        object: { kind: 'broadcast', id: broadcast._id.toString() },
        basis: broadcastBasisOf(tag),
        details: {
          name: broadcast.name,
          purpose: broadcast.purpose,
          ...(tag ? { tag } : {}),
          totals: byPage[pageId] ?? null,
          refused: refused.map((group) => ({ code: group._id.code ?? null, count: group.n })),
        },
      });
      for (const group of refused) {
        const code = group._id.code ?? 'unknown';
        deps.tallies.countAfter({
          workspaceId,
          pageId,
          measure: 'refusal',
          reason: refusalReason(refusalOf(code)),
          source: 'broadcast',
          description: group._id.reason ?? code,
          count: group.n,
        });
      }
    }
  }

  return {
    /** Starts the summary and returns at once; a failure is logged, never the caller's. */
    afterEnd(broadcast: BroadcastRecord, actor: AuditActor): void {
      if (!broadcast.startedAt) return;
      summarise(broadcast, actor).catch((error: unknown) => {
        deps.logger.error(
          { err: error, broadcastId: broadcast._id.toString() },
          'could not audit a finished broadcast',
        );
      });
    },
  };
}

export type BroadcastSummary = ReturnType<typeof createBroadcastSummary>;
