import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../api/types';

export type PagewireSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * One socket per tab, authenticated by the session cookie on the handshake (no token in the URL). WebSocket first:
 * no long-polling round trips, and no sticky sessions needed behind a load balancer.
 */
let socket: PagewireSocket | null = null;

export function pagewireSocket(): PagewireSocket {
  socket ??= io({ transports: ['websocket'], withCredentials: true });
  return socket;
}

export function closeSocket(): void {
  socket?.disconnect();
  socket = null;
}
