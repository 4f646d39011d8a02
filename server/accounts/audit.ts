import { AuditLogModel, type AuditActorKind } from '../../models/audit-log';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { Member } from './authorization';

export interface AuditActor {
  kind: AuditActorKind;
  id: string;
}

export interface AuditEntry {
  workspaceId: string;
  /** The Page the action concerns; an entry about a Page (`object.kind` 'page') names it without this. */
  pageId?: string;
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
    member: Pick<Member, 'userId' | 'workspaceId' | 'role' | 'apiKeyId'>,
    entry: MemberAuditEntry,
  ): Promise<void>;
  /**
   * For automated actions, after the action and whatever tells people of it. The promise never rejects: a failed
   * write is logged and never undoes or fails the action. Sends on an agent's or a person's way do not wait for it.
   */
  recordAfter(entry: AuditEntry): Promise<void>;
  /** Resolves once the writes `recordAfter` started have finished (shutdown, tests). */
  settled(): Promise<void>;
}

/** Who or what did what, to which object, on what basis; features write here through this service only. */
export function createAuditTrail(clock: Clock, logger: Logger): AuditTrail {
  const inFlight = new Set<Promise<void>>();
  async function record({ workspaceId, pageId, ...entry }: AuditEntry): Promise<void> {
    const page = pageId ?? (entry.object.kind === 'page' ? entry.object.id : undefined);
    await AuditLogModel.create({
      ...entry,
      workspace: workspaceId,
      ...(page ? { page } : {}),
      at: clock.now(),
    });
  }
  return {
    record,
    recordByMember: (member, { basis, ...entry }) =>
      record({
        ...entry,
        workspaceId: member.workspaceId,
        actor: member.apiKeyId
          ? { kind: 'api-key', id: member.apiKeyId }
          : { kind: 'user', id: member.userId },
        basis: basis ?? (member.apiKeyId ? 'API key' : `role ${member.role}`),
      }),
    recordAfter(entry) {
      const write = record(entry)
        .catch((error: unknown) => {
          logger.error(
            { err: error, action: entry.action, object: entry.object },
            'could not write an audit entry',
          );
        })
        .finally(() => inFlight.delete(write));
      inFlight.add(write);
      return write;
    },
    async settled() {
      await Promise.all([...inFlight]);
    },
  };
}
