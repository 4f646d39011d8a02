import { useEffect, useState } from 'react';
import { pagewireSocket } from './socket';

type Connection = 'online' | 'offline' | 'back';

/**
 * Says when the live connection drops and when it is back; the inbox catches up on `connect` (see live-updates.ts).
 * Silent while all is well.
 */
export function ConnectionBanner() {
  const [state, setState] = useState<Connection>('online');
  useEffect(() => {
    const socket = pagewireSocket();
    let backTimer: ReturnType<typeof setTimeout> | undefined;
    let wasDown = false;
    const down = () => {
      wasDown = true;
      setState('offline');
    };
    const up = () => {
      if (!wasDown) return;
      wasDown = false;
      setState('back');
      clearTimeout(backTimer);
      backTimer = setTimeout(() => setState('online'), 3000);
    };
    socket.on('disconnect', down);
    socket.on('connect_error', down);
    socket.on('connect', up);
    return () => {
      socket.off('disconnect', down);
      socket.off('connect_error', down);
      socket.off('connect', up);
      clearTimeout(backTimer);
    };
  }, []);
  if (state === 'online') return null;
  return (
    <div
      role="alert"
      className={`px-4 py-2 text-center text-sm font-medium ${
        state === 'offline' ? 'bg-amber-100 text-amber-900' : 'bg-emerald-100 text-emerald-900'
      }`}
    >
      {state === 'offline' ? 'Offline: reconnecting…' : 'Back online: the inbox is up to date.'}
    </div>
  );
}
