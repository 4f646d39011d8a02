/**
 * The one map of real-time events, imported by the server and the dashboard alike. Names are `noun:verb`.
 * Rooms are joined by the server only, so there is deliberately no client event that names a room.
 */
export interface PageHealthEvent {
  pageId: string;
  fbPageId: string;
  status: 'ok' | 'needs_reauth' | 'permission_missing';
  reason?: string;
  at: string;
  automatedSendsPaused: boolean;
}

export interface ServerToClientEvents {
  'page:health': (event: PageHealthEvent) => void;
}

/** Acknowledged client events answer `{ data }` or `{ error }`; none exist yet. */
export type ClientToServerEvents = Record<never, never>;

export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];
