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

/** A sending broadcast's progress, at least once a second, to its workspace. */
export interface BroadcastProgressEvent {
  broadcastId: string;
  state: 'draft' | 'scheduled' | 'sending' | 'paused' | 'completed' | 'cancelled' | 'failed';
  sent: number;
  failed: number;
  skipped: number;
  remaining: number;
  ratePerSecond: number;
  /** Seconds until the last recipient at the current rate; null before the first message. */
  etaSeconds: number | null;
}

export interface ServerToClientEvents {
  'page:health': (event: PageHealthEvent) => void;
  'broadcast:progress': (event: BroadcastProgressEvent) => void;
}

/** Acknowledged client events answer `{ data }` or `{ error }`; none exist yet. */
export type ClientToServerEvents = Record<never, never>;

export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];
