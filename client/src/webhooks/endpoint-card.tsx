import { useChangeEndpoint, useDeleteEndpoint, useRotateSecret, type WebhookEndpoint } from '../api/webhooks';
import { fullDate } from '../inbox/time';
import { SecretOnce } from './secret-once';

const button = 'rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 disabled:opacity-50';

function health(endpoint: WebhookEndpoint): string {
  if (!endpoint.active) {
    return endpoint.disabledAt
      ? `Disabled on ${fullDate(endpoint.disabledAt)}: ${endpoint.disabledReason ?? ''}`
      : 'Turned off';
  }
  return endpoint.failingSince ? `Failing since ${fullDate(endpoint.failingSince)}` : 'Active';
}

/** One endpoint: its events, its health, on/off, a new secret, delete, and its delivery log to open. */
export function EndpointCard({
  endpoint,
  selected,
  onShowDeliveries,
}: {
  endpoint: WebhookEndpoint;
  selected: boolean;
  onShowDeliveries(): void;
}) {
  const change = useChangeEndpoint(endpoint.id);
  const rotate = useRotateSecret(endpoint.id);
  const remove = useDeleteEndpoint();
  const error = change.error ?? rotate.error ?? remove.error;

  return (
    <li className="space-y-2 rounded-md border border-slate-200 bg-white p-3 text-sm">
      <p className="font-mono text-xs break-all">{endpoint.url}</p>
      {endpoint.description && <p>{endpoint.description}</p>}
      <p className={endpoint.active && !endpoint.failingSince ? 'text-green-800' : 'text-red-800'}>
        {health(endpoint)}
      </p>
      <p className="text-slate-700">
        Events:{' '}
        {endpoint.events.map((type, index) => (
          <span key={type}>
            {index > 0 && ', '}
            <code>{type}</code>
          </span>
        ))}
      </p>
      <div className="flex flex-wrap gap-2">
        <button type="button" className={button} aria-pressed={selected} onClick={onShowDeliveries}>
          Deliveries
        </button>
        <button
          type="button"
          className={button}
          disabled={change.isPending}
          onClick={() => change.mutate({ active: !endpoint.active })}
        >
          {endpoint.active ? 'Turn off' : 'Turn on'}
        </button>
        <button type="button" className={button} disabled={rotate.isPending} onClick={() => rotate.mutate()}>
          New secret
        </button>
        <button
          type="button"
          className={button}
          disabled={remove.isPending}
          onClick={() => {
            if (window.confirm(`Delete the endpoint ${endpoint.url} and its delivery log?`))
              remove.mutate(endpoint.id);
          }}
        >
          Delete
        </button>
      </div>
      {error && (
        <p role="alert" className="text-red-700">
          {error.message}
        </p>
      )}
      {rotate.data && <SecretOnce secret={rotate.data.secret} url={endpoint.url} />}
    </li>
  );
}
