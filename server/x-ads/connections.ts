import axios from 'axios';
import { isValidObjectId, Types } from 'mongoose';
import { z } from 'zod';
import { sharingScopes } from '../../models/page';
import { XAdsAuthorizationModel } from '../../models/x-ads-authorization';
import { XAdsConnectionModel, type XAdsConnection } from '../../models/x-ads-connection';
import { XAdsMetricModel } from '../../models/x-ads-metric';
import type { AuditTrail } from '../accounts/audit';
import { marketingRoles, sharedWithFilter, type Member } from '../accounts/authorization';
import type { TokenVault } from '../pages/token-vault';
import type { Clock } from '../platform/clock';
import { BadRequest, Forbidden, NotFound, ServiceUnavailable } from '../platform/errors';
import { XAdsApiError, type XAdsClient, type XAdsCredentials } from './ads-client';
import { metricsOffered, roleLabels } from './role-metrics';

export const xAdsSharingSchema = z.strictObject({
  scope: z.enum(sharingScopes),
  teamId: z.string().min(1).max(100).optional(),
});
export const xAdsConnectionDraftSchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  sharing: xAdsSharingSchema.default({ scope: 'workspace' }),
});
export const xAdsConnectionChangeSchema = z.strictObject({
  name: z.string().trim().min(1).max(80).optional(),
  sharing: xAdsSharingSchema.optional(),
});
/** X sends back `oauth_token` and `oauth_verifier` when the person authorized, `denied` (the request token) when not. */
export const xAdsCallbackQuerySchema = z.looseObject({
  oauth_token: z.string().min(1).max(200).optional(),
  oauth_verifier: z.string().min(1).max(200).optional(),
  denied: z.string().min(1).max(200).optional(),
});

export const tokenBinding = (connectionId: string) => `x-ads:${connectionId}`;
export const tokenSecretBinding = (connectionId: string) => `x-ads-secret:${connectionId}`;
const requestSecretBinding = (requestToken: string) => `x-ads-request:${requestToken}`;

type StoredConnection = XAdsConnection & { _id: Types.ObjectId };

/** Why X did not let the connection finish, in words for the person who was connecting; a bug stays a bug. */
function connectFailure(error: unknown): Error {
  if (error instanceof XAdsApiError)
    return error.status === 401
      ? new BadRequest('X did not accept the authorization (it expired or was already used): connect again.')
      : new ServiceUnavailable(`X refused the connection (${error.message}): try again later.`);
  if (axios.isAxiosError(error))
    return new ServiceUnavailable('X could not be reached: try again in a moment.');
  return error instanceof Error ? error : new Error(String(error));
}

/** Who may rename, re-share or disconnect a connection: an admin, or the person who connected it. */
const mayChange = (member: Member, connection: StoredConnection) =>
  member.role === 'admin' || connection.connectedBy.toString() === member.userId;

/** How a connection is shown to a member: never its tokens. */
function connectionView(member: Member, connection: StoredConnection, connectedByName?: string) {
  return {
    id: connection._id.toString(),
    name: connection.name,
    status: connection.status,
    statusReason: connection.statusReason ?? null,
    xUser: { id: connection.xUserId, screenName: connection.screenName },
    connectedAt: connection.connectedAt.toISOString(),
    connectedBy: { id: connection.connectedBy.toString(), name: connectedByName ?? null },
    sharing: {
      scope: connection.sharing?.scope ?? 'workspace',
      teamId: connection.sharing?.teamId ?? null,
    },
    lastPulledAt: connection.lastPulledAt?.toISOString() ?? null,
    mayChange: mayChange(member, connection),
    accounts: connection.accounts.map((account) => ({
      accountId: account.accountId,
      name: account.name,
      roles: roleLabels(account.permissions),
      metricsOffered: metricsOffered(account.permissions),
    })),
  };
}

export interface XAdsConnectionsDeps {
  client: () => XAdsClient;
  vault: TokenVault;
  audit: AuditTrail;
  clock: Clock;
  callbackUrl: string;
  userNames(ids: string[]): Promise<Map<string, string>>;
}

export function createXAdsConnections(deps: XAdsConnectionsDeps) {
  const { vault, audit, clock } = deps;

  /** The connection if the member may see it (the Pages' sharing rule); 404 otherwise, whatever the reason. */
  async function visible(member: Member, id: string): Promise<StoredConnection> {
    if (!isValidObjectId(id)) throw new NotFound('No such X Ads connection.');
    const connection = await XAdsConnectionModel.findOne({
      _id: id,
      workspace: member.workspaceId,
      ...sharedWithFilter(member),
    }).lean<StoredConnection>();
    if (!connection) throw new NotFound('No such X Ads connection.');
    return connection;
  }

  function mayManage(member: Member, connection: StoredConnection): void {
    if (!mayChange(member, connection)) {
      throw new Forbidden('Only an admin or the person who connected it may change this connection.');
    }
  }

  async function credentialsOf(connectionId: string): Promise<XAdsCredentials> {
    const sealed = await XAdsConnectionModel.findById(connectionId)
      .select('+accessToken +accessTokenSecret')
      .lean();
    if (!sealed?.accessToken || !sealed.accessTokenSecret) throw new NotFound('No such X Ads connection.');
    return {
      token: vault.decrypt(sealed.accessToken, tokenBinding(connectionId)),
      tokenSecret: vault.decrypt(sealed.accessTokenSecret, tokenSecretBinding(connectionId)),
    };
  }

  async function viewsOf(member: Member, connections: StoredConnection[]) {
    const names = await deps.userNames([...new Set(connections.map((c) => c.connectedBy.toString()))]);
    return connections.map((c) => connectionView(member, c, names.get(c.connectedBy.toString())));
  }

  return {
    credentialsOf,
    visible,

    async list(member: Member) {
      const connections = await XAdsConnectionModel.find({
        workspace: member.workspaceId,
        ...sharedWithFilter(member),
      })
        .sort({ connectedAt: -1 })
        .lean<StoredConnection[]>();
      // Connecting and pulling are for marketing roles (the routes' requireRole); the dashboard offers them by this.
      const mayMarket = marketingRoles.includes(member.role);
      return { data: await viewsOf(member, connections), can: { connect: mayMarket, pull: mayMarket } };
    },

    async get(member: Member, id: string) {
      const [view] = await viewsOf(member, [await visible(member, id)]);
      return view!;
    },

    /** Step 1: X's request token for this member's new connection; the dashboard sends the person to authorizeUrl. */
    async start(member: Member, draft: z.infer<typeof xAdsConnectionDraftSchema>) {
      if (draft.sharing.scope === 'team' && !draft.sharing.teamId)
        throw new BadRequest('Team sharing needs a teamId.');
      const requested = await deps.client().requestToken(deps.callbackUrl);
      await XAdsAuthorizationModel.create({
        requestToken: requested.token,
        requestTokenSecret: vault.encrypt(requested.secret, requestSecretBinding(requested.token)),
        workspace: member.workspaceId,
        user: member.userId,
        name: draft.name,
        sharing: draft.sharing,
        createdAt: clock.now(),
      });
      return { authorizeUrl: requested.authorizeUrl };
    },

    /**
     * Step 3: X sent the person back; their token becomes a connection with each ads account and their role on it.
     * Otherwise a DomainError whose message tells the person what happened (they cancelled, the authorization expired
     * or was used, X refused or could not be reached) and what to do.
     */
    async finish(member: Member, query: z.infer<typeof xAdsCallbackQuerySchema>): Promise<string> {
      // Used once: the first callback takes it, a replay finds nothing; a cancelled one is forgotten.
      const pending = await XAdsAuthorizationModel.findOneAndDelete({
        requestToken: query.denied ?? query.oauth_token ?? '',
        workspace: member.workspaceId,
        user: member.userId,
      }).lean();
      if (query.denied) throw new BadRequest('You cancelled on X: nothing was connected.');
      if (!pending || !query.oauth_verifier)
        throw new NotFound('This X authorization is unknown, expired or was already used: connect again.');
      const client = deps.client();
      const secret = vault.decrypt(pending.requestTokenSecret, requestSecretBinding(pending.requestToken));
      let access: Awaited<ReturnType<XAdsClient['accessToken']>>;
      const accounts = [];
      try {
        access = await client.accessToken(pending.requestToken, secret, query.oauth_verifier);
        const credentials = { token: access.token, tokenSecret: access.tokenSecret };
        const adsAccounts = await client.accounts(credentials, access.userId);
        for (const account of adsAccounts) {
          const permissions = await client.permissions(credentials, account.id);
          accounts.push({
            accountId: account.id,
            name: account.name,
            currency: account.currency,
            permissions,
          });
        }
      } catch (error) {
        throw connectFailure(error);
      }
      const id = new Types.ObjectId();
      const sharing = pending.sharing ?? { scope: 'workspace' };
      await XAdsConnectionModel.create({
        _id: id,
        workspace: member.workspaceId,
        name: pending.name,
        xUserId: access.userId,
        screenName: access.screenName,
        accounts,
        accessToken: vault.encrypt(access.token, tokenBinding(id.toString())),
        accessTokenSecret: vault.encrypt(access.tokenSecret, tokenSecretBinding(id.toString())),
        connectedBy: member.userId,
        connectedAt: clock.now(),
        sharing: {
          scope: sharing.scope,
          ...(sharing.scope === 'team' ? { teamId: sharing.teamId } : {}),
          ...(sharing.scope === 'private' ? { ownerId: member.userId } : {}),
        },
      });
      await audit.recordByMember(member, {
        action: 'x-ads.connected',
        object: { kind: 'x-ads-connection', id: id.toString() },
        basis: `@${access.screenName} authorized Pagewire on X to read their ads accounts`,
        details: { accounts: accounts.map((a) => ({ id: a.accountId, roles: roleLabels(a.permissions) })) },
      });
      return id.toString();
    },

    async change(member: Member, id: string, change: z.infer<typeof xAdsConnectionChangeSchema>) {
      const connection = await visible(member, id);
      mayManage(member, connection);
      if (change.sharing?.scope === 'team' && !change.sharing.teamId)
        throw new BadRequest('Team sharing needs a teamId.');
      const set: Record<string, unknown> = {};
      if (change.name) set.name = change.name;
      if (change.sharing) {
        set.sharing = {
          scope: change.sharing.scope,
          ...(change.sharing.scope === 'team' ? { teamId: change.sharing.teamId } : {}),
          ...(change.sharing.scope === 'private' ? { ownerId: connection.connectedBy } : {}),
        };
      }
      await XAdsConnectionModel.updateOne({ _id: connection._id }, { $set: set });
      await audit.recordByMember(member, {
        action: 'x-ads.changed',
        object: { kind: 'x-ads-connection', id },
        details: change,
      });
      return this.get(member, id);
    },

    /** Forgets the tokens and the metrics pulled with them. */
    async remove(member: Member, id: string) {
      const connection = await visible(member, id);
      mayManage(member, connection);
      await XAdsConnectionModel.deleteOne({ _id: connection._id });
      await XAdsMetricModel.deleteMany({ connection: connection._id });
      await audit.recordByMember(member, {
        action: 'x-ads.disconnected',
        object: { kind: 'x-ads-connection', id },
      });
    },
  };
}

export type XAdsConnections = ReturnType<typeof createXAdsConnections>;
