import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Session, SessionData } from 'express-session';
import { isValidObjectId, Types } from 'mongoose';
import type { SharingScope } from '../../models/page';
import { XAccountModel, type XAccountRecord } from '../../models/x-account';
import type { AuditTrail } from '../accounts/audit';
import { sharedWith, type Member } from '../accounts/authorization';
import type { TokenVault } from '../pages/token-vault';
import type { Clock } from '../platform/clock';
import { isDuplicateKey } from '../platform/database/duplicate-key';
import { BadRequest, Conflict, Forbidden, NotFound, ServiceUnavailable } from '../platform/errors';
import { toXAccountView, type XAccountView } from './account-view';
import { requestedXScopes } from './scopes';
import { XCallFailed, type XClient } from './x-client';

declare module 'express-session' {
  interface SessionData {
    /** A connection to X under way: the state X must echo and the PKCE verifier, kept only in this session. */
    xConnect?: {
      state: string;
      codeVerifier: string;
      workspaceId: string;
      userId: string;
      startedAt: number;
    };
  }
}

export const xTokenBinding = (accountId: string, kind: 'access' | 'refresh') =>
  `x-account:${accountId}:${kind}`;

/** An authorization code lives 30 seconds at X; a person may take longer to decide on X's page. */
const connectAttemptMs = 10 * 60_000;
/** Refresh this long before X's two hours are up, so no call goes with a token about to expire. */
const refreshMarginMs = 5 * 60_000;
const refreshClaimMs = 30_000;

export interface XConnectionsDeps {
  client: XClient;
  vault: TokenVault;
  clock: Clock;
  audit: Pick<AuditTrail, 'recordByMember' | 'recordAfter'>;
  authorizeUrl: string;
  clientId: string | undefined;
  publicUrl: string;
}

export interface SharingChange {
  scope: SharingScope;
  teamId?: string | undefined;
}

/** Mongo filter for the X accounts a member may see: an admin all of the workspace's, others by sharing, owners theirs. */
export function visibleXAccountsFilter(member: Member): Record<string, unknown> {
  const base = { workspace: new Types.ObjectId(member.workspaceId) };
  if (member.role === 'admin') return base;
  return { ...base, $or: [...sharedWith(member), { owner: new Types.ObjectId(member.userId) }] };
}

export type XConnections = ReturnType<typeof createXConnections>;

/** Connecting, listing, sharing and revoking members' X accounts, and the one place their tokens are decrypted. */
export function createXConnections(deps: XConnectionsDeps) {
  const { client, vault, clock, audit } = deps;
  const redirectUri = `${deps.publicUrl}/auth/x/callback`;

  async function findVisible(member: Member, id: string): Promise<XAccountRecord> {
    if (!isValidObjectId(id)) throw new NotFound('No such X account.');
    const account = await XAccountModel.findOne({
      ...visibleXAccountsFilter(member),
      _id: id,
    }).lean<XAccountRecord>();
    if (!account) throw new NotFound('No such X account.');
    return account;
  }

  /** Its owner, or an admin, may change who sees it or revoke it. */
  function requireOwnerOrAdmin(member: Member, account: XAccountRecord): void {
    if (member.role !== 'admin' && !account.owner.equals(member.userId)) {
      throw new Forbidden('Only the member who connected this X account, or an admin, may do this.');
    }
  }

  async function storeTokens(accountId: Types.ObjectId, answer: Awaited<ReturnType<XClient['refresh']>>) {
    const id = accountId.toString();
    return {
      accessToken: vault.encrypt(answer.accessToken, xTokenBinding(id, 'access')),
      ...(answer.refreshToken
        ? { refreshToken: vault.encrypt(answer.refreshToken, xTokenBinding(id, 'refresh')) }
        : {}),
      accessTokenExpiresAt: new Date(clock.now().getTime() + answer.expiresInSeconds * 1000),
      scopes: answer.scopes,
    };
  }

  /** Asks X to revoke the account's stored tokens; whatever X answers, the caller forgets or replaces them. */
  async function revokeAtX(account: XAccountRecord): Promise<void> {
    const id = account._id.toString();
    for (const kind of ['refresh', 'access'] as const) {
      const sealed = kind === 'refresh' ? account.refreshToken : account.accessToken;
      if (!sealed) continue;
      // A token X no longer knows is as good as revoked, so a refusal is not an error here.
      await client
        .revoke(
          vault.decrypt(sealed, xTokenBinding(id, kind)),
          kind === 'refresh' ? 'refresh_token' : 'access_token',
        )
        .catch(() => undefined);
    }
  }

  async function markNeedsReconnect(accountId: Types.ObjectId, reason: string): Promise<void> {
    await XAccountModel.updateOne(
      { _id: accountId, status: 'connected' },
      { $set: { status: 'needs_reconnect', statusReason: reason } },
    );
  }

  return {
    redirectUri,

    /** Where to send the member's browser: X's consent page with a fresh state and PKCE challenge (S256). */
    startConnect(member: Member, session: Session & Partial<SessionData>): string {
      if (!client.isConfigured || !deps.clientId) {
        throw new ServiceUnavailable('X is not configured here: set X_CLIENT_ID and X_CLIENT_SECRET.');
      }
      const state = randomBytes(24).toString('base64url');
      const codeVerifier = randomBytes(48).toString('base64url');
      session.xConnect = {
        state,
        codeVerifier,
        workspaceId: member.workspaceId,
        userId: member.userId,
        startedAt: clock.now().getTime(),
      };
      const url = new URL(deps.authorizeUrl);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: deps.clientId,
        redirect_uri: redirectUri,
        scope: requestedXScopes.join(' '),
        state,
        code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
        code_challenge_method: 'S256',
      }).toString();
      return url.toString();
    },

    /** X's redirect back: the state must be this session's, once; then the code becomes the member's connection. */
    async finishConnect(
      member: Member,
      session: Session & Partial<SessionData>,
      answer: { code?: string | undefined; state?: string | undefined; error?: string | undefined },
    ): Promise<XAccountView> {
      const attempt = session.xConnect;
      delete session.xConnect;
      const expected = Buffer.from(attempt?.state ?? '');
      const given = Buffer.from(answer.state ?? '');
      const isOurs =
        attempt !== undefined &&
        expected.length === given.length &&
        timingSafeEqual(expected, given) &&
        attempt.userId === member.userId &&
        attempt.workspaceId === member.workspaceId &&
        clock.now().getTime() - attempt.startedAt <= connectAttemptMs;
      if (!isOurs)
        throw new BadRequest('This X connection was not started here, or took too long: start again.');
      if (answer.error) throw new BadRequest('You cancelled the connection on X; nothing was connected.');
      if (!answer.code) throw new BadRequest('X sent no authorization code.');
      let tokens: Awaited<ReturnType<XClient['exchangeCode']>>;
      let me: Awaited<ReturnType<XClient['me']>>;
      try {
        tokens = await client.exchangeCode(answer.code, attempt.codeVerifier, redirectUri);
        me = await client.me(tokens.accessToken);
      } catch (error) {
        if (error instanceof XCallFailed) throw new BadRequest(`X refused the connection: ${error.detail}`);
        throw error;
      }
      const workspace = new Types.ObjectId(member.workspaceId);
      const owner = new Types.ObjectId(member.userId);
      const existing = await XAccountModel.findOne({ workspace, xUserId: me.id })
        .select('+accessToken +refreshToken')
        .lean<XAccountRecord>();
      if (existing && existing.status !== 'revoked' && !existing.owner.equals(owner)) {
        throw new Conflict(
          'Another member of this workspace has connected this X account; they may revoke it first.',
        );
      }
      const account =
        existing ??
        (await XAccountModel.create({
          workspace,
          owner,
          xUserId: me.id,
          username: me.username,
          name: me.name,
          sharing: { scope: 'private', ownerId: owner },
          connectedAt: clock.now(),
        }).then(
          (created) => created.toObject() as XAccountRecord,
          (error: unknown) => {
            if (isDuplicateKey(error))
              throw new Conflict('This X account was just connected; reload the list.');
            throw error;
          },
        ));
      await XAccountModel.updateOne(
        { _id: account._id },
        {
          $set: {
            ...(await storeTokens(account._id, tokens)),
            owner,
            username: me.username,
            name: me.name,
            status: 'connected',
            connectedAt: clock.now(),
            revokedAt: null,
            refreshClaimedUntil: new Date(0),
          },
          $unset: { statusReason: 1 },
        },
      );
      // Connecting again replaces the tokens: the ones it replaces are revoked at X, not left alive there.
      if (existing) await revokeAtX(existing);
      await audit.recordByMember(member, {
        action: 'x-account.connected',
        object: { kind: 'x-account', id: account._id.toString() },
        basis: `The member approved Pagewire on X's consent page for @${me.username} (scopes: ${tokens.scopes.join(' ')}).`,
      });
      const stored = await XAccountModel.findById(account._id).lean<XAccountRecord>();
      if (!stored) throw new NotFound('No such X account.');
      return toXAccountView(stored, member.userId);
    },

    async list(member: Member): Promise<XAccountView[]> {
      const accounts = await XAccountModel.find(visibleXAccountsFilter(member))
        .sort({ connectedAt: -1 })
        .lean<XAccountRecord[]>();
      return accounts.map((account) => toXAccountView(account, member.userId));
    },

    async get(member: Member, id: string): Promise<XAccountView> {
      return toXAccountView(await findVisible(member, id), member.userId);
    },

    findVisible,

    async changeSharing(member: Member, id: string, change: SharingChange): Promise<XAccountView> {
      const account = await findVisible(member, id);
      requireOwnerOrAdmin(member, account);
      if (change.scope === 'team' && !change.teamId) throw new BadRequest('Team sharing needs a teamId.');
      const sharing = {
        scope: change.scope,
        ...(change.scope === 'team' ? { teamId: change.teamId } : {}),
        ...(change.scope === 'private' ? { ownerId: account.owner } : {}),
      };
      await XAccountModel.updateOne({ _id: account._id }, { $set: { sharing } });
      await audit.recordByMember(member, {
        action: 'x-account.sharing.changed',
        object: { kind: 'x-account', id },
        details: { scope: change.scope },
      });
      return this.get(member, id);
    },

    /** Revokes both tokens at X and forgets them here; the history and reports stay. */
    async revoke(member: Member, id: string): Promise<XAccountView> {
      const visible = await findVisible(member, id);
      requireOwnerOrAdmin(member, visible);
      const account = await XAccountModel.findById(visible._id)
        .select('+accessToken +refreshToken')
        .lean<XAccountRecord>();
      if (!account) throw new NotFound('No such X account.');
      await revokeAtX(account);
      await XAccountModel.updateOne(
        { _id: account._id },
        {
          $set: { status: 'revoked', revokedAt: clock.now(), statusReason: 'Revoked in Pagewire.' },
          $unset: { accessToken: 1, refreshToken: 1 },
        },
      );
      await audit.recordByMember(member, {
        action: 'x-account.revoked',
        object: { kind: 'x-account', id },
        details: { username: account.username },
      });
      return this.get(member, id);
    },

    /**
     * A usable access token for the account, refreshed first when it is within five minutes of expiring. Refresh
     * tokens rotate, so one process claims the refresh and the others wait for its result.
     */
    async accessTokenFor(accountId: Types.ObjectId): Promise<string> {
      const id = accountId.toString();
      for (let attempt = 0; attempt < 40; attempt += 1) {
        const account = await XAccountModel.findById(accountId)
          .select('+accessToken +refreshToken')
          .lean<XAccountRecord>();
        if (!account || account.status !== 'connected' || !account.accessToken) {
          throw new Conflict('This X account is not connected: reconnect it.');
        }
        const now = clock.now();
        const expiresAt = account.accessTokenExpiresAt?.getTime() ?? 0;
        if (expiresAt - now.getTime() > refreshMarginMs) {
          return vault.decrypt(account.accessToken, xTokenBinding(id, 'access'));
        }
        if (!account.refreshToken) {
          await markNeedsReconnect(accountId, 'X’s token expired and X gave no refresh token.');
          throw new Conflict('This X account needs reconnecting.');
        }
        // updateOne, not findOneAndUpdate: FerretDB's findAndModify refuses the projection the hidden tokens add.
        const claim = await XAccountModel.updateOne(
          {
            _id: accountId,
            'refreshToken.ciphertext': account.refreshToken.ciphertext,
            refreshClaimedUntil: { $lt: now },
          },
          { $set: { refreshClaimedUntil: new Date(now.getTime() + refreshClaimMs) } },
        );
        const claimed = claim.modifiedCount === 1;
        if (!claimed) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          continue;
        }
        try {
          const answer = await client.refresh(
            vault.decrypt(account.refreshToken, xTokenBinding(id, 'refresh')),
          );
          await XAccountModel.updateOne(
            { _id: accountId },
            { $set: { ...(await storeTokens(accountId, answer)), refreshClaimedUntil: new Date(0) } },
          );
          return answer.accessToken;
        } catch (error) {
          await XAccountModel.updateOne({ _id: accountId }, { $set: { refreshClaimedUntil: new Date(0) } });
          if (error instanceof XCallFailed && error.kind === 'unauthorized') {
            await markNeedsReconnect(accountId, `X refused to renew the connection: ${error.detail}`);
            throw new Conflict('This X account needs reconnecting.');
          }
          throw error;
        }
      }
      throw new ServiceUnavailable('X’s token is being renewed by another process; try again.');
    },

    markNeedsReconnect,
  };
}
