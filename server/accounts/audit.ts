import { AuditLogModel } from '../../models/audit-log';
import type { Clock } from '../platform/clock';

export type AuditActor = { kind: 'user'; id: string } | { kind: 'system' | 'job'; id: string };

export interface AuditEntry {
  workspaceId: string;
  actor: AuditActor;
  action: string;
  object: { kind: string; id: string };
  basis: string;
  details?: Record<string, unknown>;
}

export interface AuditTrail {
  record(entry: AuditEntry): Promise<void>;
}

/** Who or what did what, to which object, on what basis; features write here through this service only. */
export function createAuditTrail(clock: Clock): AuditTrail {
  return {
    async record({ workspaceId, ...entry }) {
      await AuditLogModel.create({ ...entry, workspace: workspaceId, at: clock.now() });
    },
  };
}
