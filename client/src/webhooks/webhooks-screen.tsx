import { useState } from 'react';
import { useMe } from '../api/session';
import { useWebhookEndpoints } from '../api/webhooks';
import { DeliveryLog } from './delivery-log';
import { EndpointCard } from './endpoint-card';
import { EndpointForm } from './endpoint-form';

/** The admins' screen: URLs subscribed to the workspace's events, their secrets, and what was sent to each. */
export default function WebhooksScreen() {
  const me = useMe();
  const endpoints = useWebhookEndpoints();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  if (me.data?.role !== 'admin')
    return <p className="p-4 text-slate-600">Only the workspace’s admins manage its webhooks.</p>;
  const list = endpoints.data?.data ?? [];
  const selected = list.find((endpoint) => endpoint.id === selectedId) ?? list[0];

  return (
    <div className="mx-auto max-w-4xl space-y-6 p-4">
      <h1 className="text-2xl font-semibold">Webhooks</h1>
      <p className="text-sm text-slate-600">
        Pagewire POSTs each event as JSON to the URLs below, signed in the <code>Pagewire-Signature</code>{' '}
        header with the endpoint’s secret. A failed delivery is retried with growing pauses; an endpoint that
        fails for a day is turned off and the admins are told.
      </p>
      <EndpointForm eventTypes={endpoints.data?.eventTypes ?? []} />
      <section aria-labelledby="endpoints-heading" className="space-y-3">
        <h2 id="endpoints-heading" className="text-lg font-medium">
          Endpoints
        </h2>
        {endpoints.isPending && <p className="text-slate-500">Loading…</p>}
        {endpoints.isError && <p className="text-red-700">{endpoints.error.message}</p>}
        {endpoints.data && list.length === 0 && <p className="text-sm text-slate-600">No endpoint yet.</p>}
        <ul aria-label="Endpoints" className="space-y-3">
          {list.map((endpoint) => (
            <EndpointCard
              key={endpoint.id}
              endpoint={endpoint}
              selected={endpoint.id === selected?.id}
              onShowDeliveries={() => setSelectedId(endpoint.id)}
            />
          ))}
        </ul>
      </section>
      {selected && (
        <DeliveryLog
          key={selected.id}
          endpointId={selected.id}
          url={selected.url}
          canReplay={selected.active}
        />
      )}
    </div>
  );
}
