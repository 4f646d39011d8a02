import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { Me } from '../api/types';
import { pagewireSocket } from './socket';

/**
 * The server closes a session's socket when the session ends under it: the member was removed, or the session was
 * replaced by a workspace switch in another tab. Who is logged in is then read again: nobody sends the shell to the
 * login page; someone (the same person, perhaps in another workspace) gets everything read afresh and the socket
 * back, which socket.io does not reconnect by itself after the server closed it.
 */
export function useSessionEndings(): void {
  const client = useQueryClient();
  useEffect(() => {
    const socket = pagewireSocket();
    const onDisconnect = async (reason: string) => {
      if (reason !== 'io server disconnect') return;
      await client.refetchQueries({ queryKey: ['me'], exact: true });
      if (!client.getQueryData<Me | null>(['me'])) return;
      socket.connect();
      await client.invalidateQueries();
    };
    socket.on('disconnect', onDisconnect);
    return () => {
      socket.off('disconnect', onDisconnect);
    };
  }, [client]);
}
