import { Types } from 'mongoose';
import { PageModel, type SharingScope } from '../../models/page';
import { UserModel } from '../../models/user';
import type { AuditTrail } from '../accounts/audit';
import { visiblePagesFilter, type Member } from '../accounts/authorization';
import { userTokenBinding } from '../accounts/login';
import type { GraphClient } from '../facebook/graph-client';
import { isGraphError } from '../facebook/graph-outcomes';
import type { ManagedPage } from '../facebook/graph-types';
import type { Clock } from '../platform/clock';
import { BadRequest, NotFound, Unauthorized } from '../platform/errors';
import type { Realtime } from '../realtime/realtime';
import { pauseAutomation, pauseStateOf, resumeAutomation } from './automation-pause';
import { pageTokenBinding, type PageAccess } from './page-access';
import type { PageHealth } from './page-health';
import { toPageView, type PageView, type StoredPage } from './page-view';
import { countSubscribedPeople } from './subscriber-counts';
import { subscribedFields } from './subscribed-fields';
import type { TokenVault } from './token-vault';

export interface PageServiceDeps {
  graph: GraphClient;
  vault: TokenVault;
  clock: Clock;
  audit: AuditTrail;
  access: PageAccess;
  realtime: Pick<Realtime, 'refreshWorkspaceRooms' | 'emitToAdmins'>;
  health: Pick<PageHealth, 'changeHealth'>;
  healthChecks: { schedule(pageId: string): Promise<void>; cancel(pageId: string): Promise<void> };
}

export interface SharingChange {
  scope: SharingScope;
  teamId?: string | undefined;
  ownerId?: string | undefined;
}

/** Connecting, listing, sharing and disconnecting Pages; every method takes the acting member, tenancy included. */
export function createPageService(deps: PageServiceDeps) {
  const { graph, vault, clock, audit, access, realtime, healthChecks, health } = deps;

  async function managedPagesOf(member: Member): Promise<ManagedPage[]> {
    const user = await UserModel.findById(member.userId).select('+userToken').lean();
    if (!user?.userToken) throw new Unauthorized('Log in with Facebook again to list your Pages.');
    try {
      return await graph.getMyPages(vault.decrypt(user.userToken, userTokenBinding(member.userId)));
    } catch (error) {
      // Any other refusal of Meta's is the error handler's 502, as for every Graph call.
      if (isGraphError(error, 'token_invalid') || isGraphError(error, 'permission_missing'))
        throw new Unauthorized(
          'Your Facebook login has expired or lost a permission: log in with Facebook again to list your Pages.',
        );
      throw error;
    }
  }

  async function storePage(member: Member, managed: ManagedPage): Promise<string> {
    const now = clock.now();
    const key = { workspace: member.workspaceId, fbPageId: managed.id };
    // updateOne then findOne: FerretDB's findAndModify cannot apply the projection that hides the token.
    await PageModel.updateOne(
      key,
      {
        $set: {
          name: managed.name,
          category: managed.category,
          connectedBy: member.userId,
          connected: true,
          connectedAt: now,
          disconnectedAt: null,
        },
        $setOnInsert: { sharing: { scope: 'workspace' } },
      },
      { upsert: true },
    );
    const page = await PageModel.findOne(key, { _id: 1 }).lean();
    if (!page) throw new Error('the Page just stored cannot be read back');
    const pageId = page._id.toString();
    await PageModel.updateOne(
      { _id: pageId },
      { $set: { accessToken: vault.encrypt(managed.accessToken, pageTokenBinding(pageId)) } },
    );
    return pageId;
  }

  async function connectOne(member: Member, managed: ManagedPage): Promise<void> {
    const pageId = await storePage(member, managed);
    await graph.subscribeApp({ pageId: managed.id, accessToken: managed.accessToken }, [...subscribedFields]);
    await PageModel.updateOne(
      { _id: pageId },
      { $set: { subscription: { subscribed: true, fields: [...subscribedFields], at: clock.now() } } },
    );
    await healthChecks.schedule(pageId);
    await audit.recordByMember(member, {
      action: 'page.connected',
      object: { kind: 'page', id: pageId },
      basis: `role ${member.role}; the user manages the Page on Facebook`,
      details: { fbPageId: managed.id },
    });
    // Lifts only the connection's pause reasons: Meta's block and an admin's pause outlive a reconnect.
    await health.changeHealth(pageId, {
      status: 'ok',
      basis: 'the Page was connected with a fresh token',
      actor: { kind: 'user', id: member.userId },
    });
  }

  /** An admin's pause or resume of the Page's automated sends, told to the workspace's admins like any other. */
  async function changeAdminPause(
    member: Member,
    pageId: string,
    pausing: boolean,
    note = '',
  ): Promise<PageView> {
    const page = await findVisible(member, pageId);
    const since = clock.now();
    const changed = pausing
      ? await pauseAutomation(pageId, 'paused_by_admin', { since, ...(note ? { detail: note } : {}) })
      : await resumeAutomation(pageId, 'paused_by_admin');
    const view = await viewOf(member.workspaceId, await findVisible(member, pageId));
    if (!changed) return view;
    await audit.recordByMember(member, {
      action: pausing ? 'page.automation.paused' : 'page.automation.resumed',
      object: { kind: 'page', id: pageId },
      ...(note ? { details: { note } } : {}),
    });
    realtime.emitToAdmins(member.workspaceId, 'page:health', {
      pageId,
      fbPageId: page.fbPageId,
      status: page.health?.status ?? 'ok',
      reason: pausing
        ? 'An admin paused this Page’s automated messages.'
        : 'An admin resumed this Page’s automated messages.',
      at: since.toISOString(),
      ...pauseStateOf(view.automationPauses),
    });
    return view;
  }

  async function viewsOf(workspaceId: string, pages: StoredPage[]): Promise<PageView[]> {
    const counts = await countSubscribedPeople(
      workspaceId,
      pages.map((page) => page._id.toString()),
    );
    return pages.map((page) => toPageView(page, counts.get(page._id.toString()) ?? 0));
  }

  async function viewOf(workspaceId: string, page: StoredPage): Promise<PageView> {
    const [view] = await viewsOf(workspaceId, [page]);
    if (!view) throw new Error('a Page read has no view');
    return view;
  }

  async function findVisible(member: Member, pageId: string) {
    if (!Types.ObjectId.isValid(pageId)) throw new NotFound('No such Page.');
    const filter = { ...visiblePagesFilter(member.workspaceId, member), _id: new Types.ObjectId(pageId) };
    const page = await PageModel.findOne(filter).lean();
    if (!page) throw new NotFound('No such Page.');
    return page;
  }

  return {
    /** The Pages the user manages on Facebook, marked when already connected here. No tokens leave this function. */
    async listAvailable(member: Member) {
      const managed = await managedPagesOf(member);
      const connected = await PageModel.find(
        { workspace: member.workspaceId, connected: true },
        { fbPageId: 1 },
      ).lean();
      const connectedIds = new Set(connected.map((page) => page.fbPageId));
      return managed.map((page) => ({
        fbPageId: page.id,
        name: page.name,
        category: page.category,
        connected: connectedIds.has(page.id),
      }));
    },

    async connect(member: Member, fbPageIds: string[]): Promise<PageView[]> {
      const managed = await managedPagesOf(member);
      const chosen = fbPageIds.map((id) => managed.find((page) => page.id === id));
      const unknown = fbPageIds.filter((_id, index) => !chosen[index]);
      if (unknown.length > 0) throw new BadRequest('You do not manage these Pages on Facebook.', { unknown });
      for (const page of chosen) if (page) await connectOne(member, page);
      await realtime.refreshWorkspaceRooms(member.workspaceId);
      const pages = await PageModel.find({
        workspace: member.workspaceId,
        fbPageId: { $in: fbPageIds },
      }).lean();
      return viewsOf(member.workspaceId, pages);
    },

    async list(member: Member): Promise<PageView[]> {
      const pages = await PageModel.find(visiblePagesFilter(member.workspaceId, member))
        .sort({ name: 1 })
        .lean();
      return viewsOf(member.workspaceId, pages);
    },

    get: async (member: Member, pageId: string) =>
      viewOf(member.workspaceId, await findVisible(member, pageId)),

    async changeSharing(member: Member, pageId: string, sharing: SharingChange): Promise<PageView> {
      await findVisible(member, pageId);
      if (sharing.scope === 'team' && !sharing.teamId) throw new BadRequest('Team sharing needs a teamId.');
      const next = {
        scope: sharing.scope,
        ...(sharing.scope === 'team' ? { teamId: sharing.teamId } : {}),
        ...(sharing.scope === 'private' ? { ownerId: sharing.ownerId ?? member.userId } : {}),
      };
      await PageModel.updateOne({ _id: pageId, workspace: member.workspaceId }, { $set: { sharing: next } });
      await audit.recordByMember(member, {
        action: 'page.sharing.changed',
        object: { kind: 'page', id: pageId },
        details: next,
      });
      await realtime.refreshWorkspaceRooms(member.workspaceId);
      return viewOf(member.workspaceId, await findVisible(member, pageId));
    },

    /** Pauses bots, captures and broadcasts on the Page until an admin resumes them; `note` says why. */
    pauseAutomation: (member: Member, pageId: string, note: string) =>
      changeAdminPause(member, pageId, true, note),

    /** Lifts an admin's pause only: a Page Meta blocked or that needs a reconnect stays paused for that. */
    resumeAutomation: (member: Member, pageId: string) => changeAdminPause(member, pageId, false),

    /** Unsubscribes the app and forgets the token; the Page document and everything pointing at it stay. */
    async disconnect(member: Member, pageId: string): Promise<void> {
      await findVisible(member, pageId);
      const credentials = await access.getSendCredentials(member.workspaceId, pageId);
      await graph.unsubscribeApp(credentials).catch((error: unknown) => {
        // A dead token cannot unsubscribe; Meta stops delivering to an app without a valid token anyway.
        if (!isGraphError(error, 'token_invalid') && !isGraphError(error, 'permission_missing')) throw error;
      });
      const now = clock.now();
      await PageModel.updateOne(
        { _id: pageId, workspace: member.workspaceId },
        {
          $set: {
            connected: false,
            disconnectedAt: now,
            subscription: { subscribed: false, fields: [], at: now },
          },
          $unset: { accessToken: 1 },
        },
      );
      await healthChecks.cancel(pageId);
      await audit.recordByMember(member, {
        action: 'page.disconnected',
        object: { kind: 'page', id: pageId },
      });
      await realtime.refreshWorkspaceRooms(member.workspaceId);
    },
  };
}

export type PageService = ReturnType<typeof createPageService>;
