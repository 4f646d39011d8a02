import { AuditLogModel } from '../../models/audit-log';
import type { Clock } from '../platform/clock';
import type { Member } from './authorization';

export type AuditActor = { kind: 'user'; id: string } | { kind: 'system' | 'job'; id: string };

export interface AuditEntry {
  workspaceId: string;
  actor: AuditActor;
  action: string;
  object: { kind: string; id: string };
  basis: string;
  details?: Record<string, unknown>;
}

/** What a signed-in member did; who, where and (unless said otherwise) on what basis come from the membership. */
export type MemberAuditEntry = Omit<AuditEntry, 'workspaceId' | 'actor' | 'basis'> & { basis?: string };

export interface AuditTrail {
  record(entry: AuditEntry): Promise<void>;
  recordByMember(
    member: Pick<Member, 'userId' | 'workspaceId' | 'role'>,
    entry: MemberAuditEntry,
  ): Promise<void>;
}

/** Who or what did what, to which object, on what basis; features write here through this service only. */
export function createAuditTrail(clock: Clock): AuditTrail {
  async function record({ workspaceId, ...entry }: AuditEntry): Promise<void> {
    await AuditLogModel.create({ ...entry, workspace: workspaceId, at: clock.now() });
  }
  return {
    record,
    recordByMember: (member, { basis, ...entry }) =>
      record({
        ...entry,
        workspaceId: member.workspaceId,
        actor: { kind: 'user', id: member.userId },
        basis: basis ?? `role ${member.role}`,
      }),
  };
}
