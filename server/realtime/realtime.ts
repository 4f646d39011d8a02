import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { RequestHandler, Request, Response, NextFunction } from 'express';
import type { SessionData } from 'express-session';
import { Server, type Socket } from 'socket.io';
import { mayAutomate, type Member } from '../accounts/authorization';
import type { Logger } from '../platform/logger';
import { countSocketConnection } from '../platform/metrics';
import type { AdapterFactory } from './adapter';
import type {
  ClientToServerEvents,
  ServerEventName,
  ServerEventPayload,
  ServerToClientEvents,
} from './events';
import { pageRoomPrefix, rooms } from './rooms';

/** What the realtime channel asks of authorization: who a session is, and which Pages they may see. */
export interface SocketGuard {
  memberForSession(session: Partial<SessionData> | undefined): Promise<Member | undefined>;
  visiblePageIds(workspaceId: string, member: Member): Promise<string[]>;
  mayBroadcast(member: Member): boolean;
}

export interface RealtimeDeps {
  httpServer: HttpServer;
  sessionMiddleware: RequestHandler;
  guard: SocketGuard;
  logger: Logger;
  adapter?: AdapterFactory | undefined;
}

export interface Realtime {
  emitToWorkspace<E extends ServerEventName>(
    workspaceId: string,
    event: E,
    payload: ServerEventPayload<E>,
  ): void;
  emitToAdmins<E extends ServerEventName>(
    workspaceId: string,
    event: E,
    payload: ServerEventPayload<E>,
  ): void;
  /** To the admins and marketers, who follow broadcasts. */
  emitToMarketing<E extends ServerEventName>(
    workspaceId: string,
    event: E,
    payload: ServerEventPayload<E>,
  ): void;
  emitToPage<E extends ServerEventName>(pageId: string, event: E, payload: ServerEventPayload<E>): void;
  /** To the members who see the Page and may run automation on it. */
  emitToAutomation<E extends ServerEventName>(pageId: string, event: E, payload: ServerEventPayload<E>): void;
  /** Disconnects every socket; the HTTP server stays its owner's to close. */
  close(): Promise<void>;
  /** Recomputes the rooms of every socket of a user (after a role, team or sharing change); drops removed members. */
  refreshRooms(userId: string): Promise<void>;
  /** The same for everyone connected to a workspace (after a Page is connected, shared or disconnected). */
  refreshWorkspaceRooms(workspaceId: string): Promise<void>;
  disconnectSession(sessionId: string): void;
}

type SessionRequest = IncomingMessage & { session?: Partial<SessionData> & { id?: string } };
type PagewireSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/**
 * socket.io on the HTTP server, authenticated by the same session cookie as the REST API (no token in the URL).
 * Every room is joined here, from the membership and the Pages the member may see; clients cannot ask to join.
 */
export function createRealtime({
  httpServer,
  sessionMiddleware,
  guard,
  logger,
  adapter,
}: RealtimeDeps): Realtime {
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    serveClient: false,
    ...(adapter ? { adapter } : {}),
  });
  // The session is read once, on the handshake request, exactly as Express reads it.
  io.engine.use((req: Request & { _query?: Record<string, string> }, res: Response, next: NextFunction) => {
    if (req._query?.sid === undefined) return sessionMiddleware(req, res, next);
    next();
  });

  io.on('connection', (socket) => {
    countSocketConnection(1);
    socket.once('disconnect', () => countSocketConnection(-1));
  });

  async function roomsFor(member: Member): Promise<string[]> {
    const pageIds = await guard.visiblePageIds(member.workspaceId, member);
    return [
      rooms.workspace(member.workspaceId),
      ...(member.role === 'admin' ? [rooms.admins(member.workspaceId)] : []),
      ...(guard.mayBroadcast(member) ? [rooms.marketing(member.workspaceId)] : []),
      ...pageIds.map(rooms.page),
      ...(mayAutomate(member) ? pageIds.map(rooms.automation) : []),
    ];
  }

  async function joinRooms(
    socket: { rooms: Set<string>; join(room: string[]): void; leave(room: string): void },
    member: Member,
  ) {
    const wanted = new Set(await roomsFor(member));
    for (const room of socket.rooms) {
      if ((room.startsWith('workspace:') || room.startsWith(pageRoomPrefix)) && !wanted.has(room))
        socket.leave(room);
    }
    socket.join([...wanted]);
  }

  // Rooms are joined before the connection completes, so a client's `connect` means its rooms are in place.
  io.use(async (socket: PagewireSocket, next) => {
    const request = socket.request as SessionRequest;
    const member = await guard.memberForSession(request.session).catch(() => undefined);
    if (!member) return next(new Error('unauthorized'));
    const sessionId = request.session?.id;
    socket.data = { userId: member.userId, workspaceId: member.workspaceId };
    socket.join([rooms.user(member.userId), ...(sessionId ? [rooms.session(sessionId)] : [])]);
    try {
      await joinRooms(socket, member);
      next();
    } catch (error) {
      logger.error({ err: error, userId: member.userId }, 'could not join rooms; refusing the socket');
      next(new Error('unavailable'));
    }
  });

  async function refreshSockets(room: string) {
    for (const socket of await io.in(room).fetchSockets()) {
      const { userId, workspaceId } = socket.data as { userId: string; workspaceId: string };
      const member = await guard.memberForSession({ userId, workspaceId });
      if (!member) socket.disconnect(true);
      else await joinRooms(socket, member);
    }
  }

  return {
    emitToWorkspace: (workspaceId, event, payload) => emit(io, rooms.workspace(workspaceId), event, payload),
    emitToAdmins: (workspaceId, event, payload) => emit(io, rooms.admins(workspaceId), event, payload),
    emitToMarketing: (workspaceId, event, payload) => emit(io, rooms.marketing(workspaceId), event, payload),
    emitToPage: (pageId, event, payload) => emit(io, rooms.page(pageId), event, payload),
    emitToAutomation: (pageId, event, payload) => emit(io, rooms.automation(pageId), event, payload),
    refreshRooms: (userId) => refreshSockets(rooms.user(userId)),
    refreshWorkspaceRooms: (workspaceId) => refreshSockets(rooms.workspace(workspaceId)),
    disconnectSession: (sessionId) => io.in(rooms.session(sessionId)).disconnectSockets(true),
    close: async () => {
      // Not io.close(): that would also close the HTTP server, which startServer owns and closes itself.
      io.local.disconnectSockets(true);
      io.engine.close();
    },
  };
}

function emit<E extends ServerEventName>(
  io: Server<ClientToServerEvents, ServerToClientEvents>,
  room: string,
  event: E,
  payload: ServerEventPayload<E>,
): void {
  // socket.io's variadic typing cannot follow a generic event name; the map above already checked the pair.
  (io.to(room).emit as (name: string, body: unknown) => boolean)(event, payload);
}
