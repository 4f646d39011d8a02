import { ApiKeyModel, type ApiKeyScope } from '../../models/api-key';
import { MembershipModel } from '../../models/membership';
import { UserModel } from '../../models/user';
import type { AuditTrail } from '../accounts/audit';
import type { Member } from '../accounts/authorization';
import type { Clock } from '../platform/clock';
import { NotFound } from '../platform/errors';
import { generateKey, isKeyOf, prefixOf } from './key-secret';

/** Who a key request acts as: the key, in its workspace, with its scopes. */
export interface KeyPrincipal {
  keyId: string;
  workspaceId: string;
  scopes: ApiKeyScope[];
  /** The admin who created the key; what the key writes in their name (a note, a claim) is theirs. */
  createdBy: string;
}

export interface ApiKeySummary {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  prefix: string;
  createdBy: { id: string; name: string | null };
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface ApiKeyService {
  /** Answers the key itself: the only time anyone sees it. */
  create(
    admin: Member,
    input: { name: string; scopes: ApiKeyScope[] },
  ): Promise<ApiKeySummary & { key: string }>;
  list(workspaceId: string): Promise<ApiKeySummary[]>;
  /** Revoking twice is revoking once; a key of another workspace is not found. */
  revoke(admin: Member, keyId: string): Promise<void>;
  /** The principal of a live key, or undefined for an unknown, malformed or revoked one. */
  resolve(key: string): Promise<KeyPrincipal | undefined>;
}

const lastUsedGranularityMs = 60_000;

export function createApiKeyService({ clock, audit }: { clock: Clock; audit: AuditTrail }): ApiKeyService {
  return {
    async create(admin, { name, scopes }) {
      const { key, prefix, secretHash } = generateKey();
      const created = await ApiKeyModel.create({
        workspace: admin.workspaceId,
        name,
        scopes,
        prefix,
        secretHash,
        createdBy: admin.userId,
        createdAt: clock.now(),
      });
      await audit.recordByMember(admin, {
        action: 'api_key.created',
        object: { kind: 'api-key', id: created.id as string },
        details: { name, scopes, prefix },
      });
      const creator = await UserModel.findById(admin.userId, { name: 1 }).lean();
      return {
        id: created.id as string,
        name,
        scopes,
        prefix,
        createdBy: { id: admin.userId, name: creator?.name ?? null },
        createdAt: created.createdAt,
        lastUsedAt: null,
        revokedAt: null,
        key,
      };
    },

    async list(workspaceId) {
      const keys = await ApiKeyModel.find({ workspace: workspaceId }, { secretHash: 0 })
        .sort({ createdAt: -1 })
        .lean();
      const creatorIds = [...new Set(keys.map((key) => key.createdBy.toString()))];
      const creators = await UserModel.find({ _id: { $in: creatorIds } }, { name: 1 }).lean();
      const nameOf = new Map(creators.map((user) => [user._id.toString(), user.name]));
      return keys.map((key) => ({
        id: key._id.toString(),
        name: key.name,
        scopes: key.scopes as ApiKeyScope[],
        prefix: key.prefix,
        createdBy: { id: key.createdBy.toString(), name: nameOf.get(key.createdBy.toString()) ?? null },
        createdAt: key.createdAt,
        lastUsedAt: key.lastUsedAt ?? null,
        revokedAt: key.revokedAt ?? null,
      }));
    },

    async revoke(admin, keyId) {
      const revoked = await ApiKeyModel.findOneAndUpdate(
        { _id: keyId, workspace: admin.workspaceId, revokedAt: null },
        { $set: { revokedAt: clock.now() } },
        { returnDocument: 'after' },
      ).lean();
      if (!revoked) {
        if (await ApiKeyModel.exists({ _id: keyId, workspace: admin.workspaceId })) return;
        throw new NotFound('No such API key.');
      }
      await audit.recordByMember(admin, {
        action: 'api_key.revoked',
        object: { kind: 'api-key', id: keyId },
        details: { name: revoked.name, prefix: revoked.prefix },
      });
    },

    async resolve(key) {
      const prefix = prefixOf(key);
      if (!prefix) return undefined;
      const found = await ApiKeyModel.findOne({ prefix }).lean();
      if (!found || found.revokedAt || !isKeyOf(key, found.secretHash)) return undefined;
      // A key acts in its creator's name as an admin: it stops when they leave the workspace or stop being an admin.
      const creatorStillAdmin = await MembershipModel.exists({
        workspace: found.workspace,
        user: found.createdBy,
        role: 'admin',
      });
      if (!creatorStillAdmin) return undefined;
      const now = clock.now();
      if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() >= lastUsedGranularityMs) {
        const staleBefore = new Date(now.getTime() - lastUsedGranularityMs);
        await ApiKeyModel.updateOne(
          { _id: found._id, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lte: staleBefore } }] },
          { $set: { lastUsedAt: now } },
        );
      }
      return {
        keyId: found._id.toString(),
        workspaceId: found.workspace.toString(),
        scopes: found.scopes as ApiKeyScope[],
        createdBy: found.createdBy.toString(),
      };
    },
  };
}
