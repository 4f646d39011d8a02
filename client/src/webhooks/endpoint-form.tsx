import { useState, type FormEvent } from 'react';
import { useCreateEndpoint, type WebhookEventType } from '../api/webhooks';
import { SecretOnce } from './secret-once';

const field = 'mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1';

/** A URL and the events it receives, each with what it means; the answer's secret is shown here once. */
export function EndpointForm({ eventTypes }: { eventTypes: WebhookEventType[] }) {
  const create = useCreateEndpoint();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>([]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { url, events, ...(description ? { description } : {}) },
      {
        onSuccess: () => {
          setUrl('');
          setDescription('');
          setEvents([]);
        },
      },
    );
  };
  const toggle = (type: string, on: boolean) =>
    setEvents((chosen) => (on ? [...chosen, type] : chosen.filter((t) => t !== type)));

  return (
    <section
      aria-labelledby="new-endpoint-heading"
      className="space-y-3 rounded-md border border-slate-200 bg-white p-4"
    >
      <h2 id="new-endpoint-heading" className="text-lg font-medium">
        Add an endpoint
      </h2>
      <form onSubmit={submit} className="space-y-3 text-sm">
        <label className="block">
          <span className="font-medium">URL</span>
          <input
            type="url"
            required
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            placeholder="https://example.com/pagewire-hooks"
            className={field}
          />
        </label>
        <label className="block">
          <span className="font-medium">Description (optional)</span>
          <input
            value={description}
            onChange={(event) => setDescription(event.target.value)}
            className={field}
          />
        </label>
        <fieldset>
          <legend className="font-medium">Events</legend>
          <ul className="mt-1 grid gap-2 sm:grid-cols-2">
            {eventTypes.map(({ type, description }) => (
              <li key={type}>
                <label className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    checked={events.includes(type)}
                    onChange={(event) => toggle(type, event.target.checked)}
                    aria-describedby={`event-${type}-meaning`}
                  />
                  <code>{type}</code>
                </label>
                <p id={`event-${type}-meaning`} className="ml-6 text-slate-600">
                  {description}
                </p>
              </li>
            ))}
          </ul>
        </fieldset>
        <button
          type="submit"
          disabled={create.isPending || events.length === 0}
          className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700 disabled:opacity-50"
        >
          Add endpoint
        </button>
      </form>
      {create.isError && (
        <p role="alert" className="text-sm text-red-700">
          {create.error.message}
        </p>
      )}
      {create.data && <SecretOnce secret={create.data.secret} url={create.data.endpoint.url} />}
    </section>
  );
}
