import { useState } from 'react';
import { useDeliveries, useReplayDelivery, type WebhookDelivery } from '../api/webhooks';
import { fullDate } from '../inbox/time';

const statusStyle: Record<WebhookDelivery['status'], string> = {
  delivered: 'bg-green-100 text-green-900',
  pending: 'bg-amber-100 text-amber-900',
  failed: 'bg-red-100 text-red-900',
};

/** An endpoint's deliveries, newest first, each with its last attempt and a Replay button. */
export function DeliveryLog({
  endpointId,
  url,
  canReplay,
}: {
  endpointId: string;
  url: string;
  canReplay: boolean;
}) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const before = cursors.at(-1) ?? null;
  const deliveries = useDeliveries(endpointId, before);
  const replay = useReplayDelivery();

  return (
    <section
      aria-labelledby="deliveries-heading"
      className="space-y-3 rounded-md border border-slate-200 bg-white p-4"
    >
      <h2 id="deliveries-heading" className="text-lg font-medium break-all">
        Deliveries to {url}
      </h2>
      {deliveries.isError && <p className="text-sm text-red-700">{deliveries.error.message}</p>}
      {replay.isError && (
        <p role="alert" className="text-sm text-red-700">
          {replay.error.message}
        </p>
      )}
      {deliveries.data?.data.length === 0 && <p className="text-sm text-slate-600">Nothing sent yet.</p>}
      <ul aria-label="Deliveries" className="divide-y divide-slate-200 text-sm">
        {deliveries.data?.data.map((delivery) => {
          const last = delivery.attempts.at(-1);
          return (
            <li key={delivery.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
              <code className="font-medium">{delivery.type}</code>
              <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${statusStyle[delivery.status]}`}>
                {delivery.status}
              </span>
              <span className="text-slate-600">{fullDate(delivery.createdAt)}</span>
              <span className="text-slate-700">
                {delivery.attempts.length} {delivery.attempts.length === 1 ? 'attempt' : 'attempts'}
                {last && (
                  <>
                    {' · last: '}
                    {last.statusCode ?? 'no answer'} in {last.latencyMs} ms
                  </>
                )}
              </span>
              {last?.error && <span className="w-full text-red-800">{last.error}</span>}
              {canReplay && (
                <button
                  type="button"
                  onClick={() => replay.mutate(delivery.id)}
                  disabled={replay.isPending}
                  aria-label={`Replay ${delivery.type} of ${fullDate(delivery.createdAt)}`}
                  className="ml-auto rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-100 disabled:opacity-50"
                >
                  Replay
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <div className="flex gap-2 text-sm">
        {cursors.length > 1 && (
          <button
            type="button"
            onClick={() => setCursors((list) => list.slice(0, -1))}
            className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-100"
          >
            Newer
          </button>
        )}
        {deliveries.data?.nextCursor && (
          <button
            type="button"
            onClick={() => setCursors((list) => [...list, deliveries.data?.nextCursor ?? null])}
            className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-100"
          >
            Older
          </button>
        )}
      </div>
    </section>
  );
}
