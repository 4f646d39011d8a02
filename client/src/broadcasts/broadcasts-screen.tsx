import { Navigate, useParams } from 'react-router';
import { useMe } from '../api/session';
import { BroadcastDetail } from './broadcast-detail';
import { BroadcastList } from './broadcast-list';
import { Composer } from './composer';

/**
 * Broadcasts (its own lazily loaded chunk): the list at /broadcasts, the composer at /broadcasts/new, one broadcast
 * at /broadcasts/:broadcastId. Only for members the server says may broadcast; anyone else goes to the inbox.
 */
export default function BroadcastsScreen() {
  const me = useMe();
  const { broadcastId } = useParams();
  if (me.data && !me.data.can.broadcast) return <Navigate to="/inbox" replace />;
  return (
    <div className="mx-auto max-w-6xl space-y-4 p-4">
      {broadcastId === 'new' && (
        <>
          <h1 className="text-2xl font-semibold">New broadcast</h1>
          <Composer />
        </>
      )}
      {broadcastId && broadcastId !== 'new' && (
        <BroadcastDetail key={broadcastId} broadcastId={broadcastId} />
      )}
      {!broadcastId && <BroadcastList />}
    </div>
  );
}
