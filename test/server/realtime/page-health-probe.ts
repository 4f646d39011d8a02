import type { PagewireSocket } from '../../support/app-harness';

/** A `page:health` event for a Page: what the realtime tests emit into a Page's room. */
export const pageHealthEvent = (pageId: string) => ({
  pageId,
  fbPageId: 'x',
  status: 'ok' as const,
  at: new Date().toISOString(),
  automatedSendsPaused: false,
  pauseReasons: [],
});

/** The Page ids of the `page:health` events a socket receives within `ms`. */
export function pageIdsReceived(socket: PagewireSocket, ms = 300): Promise<string[]> {
  const seen: string[] = [];
  const listener = (event: { pageId: string }) => seen.push(event.pageId);
  socket.on('page:health', listener);
  return new Promise((resolve) =>
    setTimeout(() => {
      socket.off('page:health', listener);
      resolve(seen);
    }, ms),
  );
}
