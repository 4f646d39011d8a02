import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, get } from '../api/http';
import { useMe } from '../api/session';
import type { EpisodeView, SubscriberView } from '../api/types';
import { fullDate, shortDate } from './time';

const optInWords: Record<string, string> = {
  message: 'Wrote to the Page',
  postback: 'Tapped a button',
  get_started: 'Tapped Get Started',
  referral: 'Opened an m.me link',
  optin: 'Opted in with a plugin',
  comment: 'Commented on a post',
  reaction: 'Reacted to a message',
};

/**
 * Who the person is to the Page: subscribed or not and why, how they came, their past conversations (the thread's
 * earlier episodes, each a link to where it began), tags and custom fields (editable).
 */
export function ContactPanel({ subscriberId, episodes }: { subscriberId: string; episodes: EpisodeView[] }) {
  const client = useQueryClient();
  const subscriber = useQuery({
    queryKey: ['subscriber', subscriberId],
    queryFn: async () =>
      (await get<{ subscriber: SubscriberView }>(`/api/subscribers/${subscriberId}`)).subscriber,
  });
  const saved = (updated: { subscriber: SubscriberView }) =>
    client.setQueryData(['subscriber', subscriberId], updated.subscriber);
  const setTags = useMutation({
    mutationFn: (tags: string[]) =>
      api<{ subscriber: SubscriberView }>('PUT', `/api/subscribers/${subscriberId}/tags`, { tags }),
    onSuccess: saved,
  });
  const setField = useMutation({
    mutationFn: (fields: Record<string, string | null>) =>
      api<{ subscriber: SubscriberView }>('PATCH', `/api/subscribers/${subscriberId}/custom-fields`, {
        customFields: fields,
      }),
    onSuccess: saved,
  });
  const isAdmin = useMe().data?.role === 'admin';
  const navigate = useNavigate();
  const [confirmingErase, setConfirmingErase] = useState(false);
  const erase = useMutation({
    mutationFn: () => api<void>('DELETE', `/api/subscribers/${subscriberId}`),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['conversations'] });
      void navigate('/inbox');
    },
  });
  const [newTag, setNewTag] = useState('');
  const [fieldName, setFieldName] = useState('');
  const [fieldValue, setFieldValue] = useState('');

  if (subscriber.isPending)
    return (
      <aside aria-label="Contact" className="p-3 text-slate-500">
        Loading…
      </aside>
    );
  if (subscriber.isError)
    return (
      <aside aria-label="Contact" className="p-3 text-red-700">
        {subscriber.error.message}
      </aside>
    );
  const person = subscriber.data;
  const name = [person.firstName, person.lastName].filter(Boolean).join(' ') || 'Someone on Messenger';

  const addTag = (event: FormEvent) => {
    event.preventDefault();
    const tag = newTag.trim();
    if (!tag || person.tags.includes(tag)) return;
    setTags.mutate([...person.tags, tag], { onSuccess: () => setNewTag('') });
  };
  const addField = (event: FormEvent) => {
    event.preventDefault();
    if (!fieldName.trim()) return;
    setField.mutate(
      { [fieldName.trim()]: fieldValue },
      { onSuccess: () => (setFieldName(''), setFieldValue('')) },
    );
  };

  return (
    <aside
      aria-label="Contact"
      className="h-full space-y-4 overflow-y-auto border-l border-slate-200 bg-white p-3 text-sm"
    >
      <div className="flex items-center gap-3">
        {person.profilePic && (
          <img
            src={person.profilePic}
            alt=""
            className="h-12 w-12 rounded-full border border-slate-200 object-cover"
          />
        )}
        <h2 className="text-base font-medium">{name}</h2>
      </div>
      <section>
        <p className={person.status === 'subscribed' ? 'text-emerald-800' : 'text-red-800'}>
          {person.status === 'subscribed'
            ? 'Subscribed'
            : person.status === 'blocked'
              ? 'Blocked the Page'
              : 'Unsubscribed'}
        </p>
        {person.unsubscribed && (
          <p className="text-slate-600">
            {person.unsubscribed.reason} ({fullDate(person.unsubscribed.at)})
          </p>
        )}
        <p className="text-slate-600">
          Came by: {optInWords[person.optInSource] ?? person.optInSource}, {fullDate(person.optInAt)} · last
          active {fullDate(person.lastInteractionAt)}
        </p>
      </section>
      <section aria-labelledby="episodes-heading" className="space-y-2">
        <h3 id="episodes-heading" className="font-medium">
          Past conversations
        </h3>
        {episodes.length === 0 ? (
          <p className="text-slate-600">None resolved yet.</p>
        ) : (
          <ul className="space-y-1">
            {episodes.map((episode) => (
              <li key={episode.id}>
                <Link
                  to={{ search: `?from=${encodeURIComponent(episode.openedAt)}` }}
                  className="text-brand-700 underline hover:no-underline"
                >
                  Resolved {shortDate(episode.resolvedAt)} by {episode.resolvedByName} ·{' '}
                  {episode.messageCount} {episode.messageCount === 1 ? 'message' : 'messages'}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="tags-heading" className="space-y-2">
        <h3 id="tags-heading" className="font-medium">
          Tags
        </h3>
        <ul className="flex flex-wrap gap-1">
          {person.tags.map((tag) => (
            <li key={tag} className="flex items-center gap-1 rounded-full bg-slate-100 px-2 py-0.5">
              {tag}
              <button
                type="button"
                aria-label={`Remove tag ${tag}`}
                onClick={() => setTags.mutate(person.tags.filter((t) => t !== tag))}
                className="text-slate-500 hover:text-red-700"
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <form onSubmit={addTag} className="flex gap-1">
          <label className="sr-only" htmlFor="new-tag">
            Add tag
          </label>
          <input
            id="new-tag"
            value={newTag}
            onChange={(event) => setNewTag(event.target.value)}
            placeholder="New tag"
            className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1"
          />
          <button type="submit" className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-100">
            Add
          </button>
        </form>
        {setTags.isError && (
          <p role="alert" className="text-red-700">
            {setTags.error.message}
          </p>
        )}
      </section>
      <section aria-labelledby="fields-heading" className="space-y-2">
        <h3 id="fields-heading" className="font-medium">
          Custom fields
        </h3>
        <dl className="space-y-1">
          {Object.entries(person.customFields).map(([field, value]) => (
            <div key={field} className="flex gap-2">
              <dt className="text-slate-600">{field}</dt>
              <dd className="flex-1">{String(value)}</dd>
              <button
                type="button"
                aria-label={`Remove field ${field}`}
                onClick={() => setField.mutate({ [field]: null })}
                className="text-slate-500 hover:text-red-700"
              >
                ×
              </button>
            </div>
          ))}
        </dl>
        <form onSubmit={addField} className="flex flex-wrap gap-1">
          <label className="sr-only" htmlFor="field-name">
            Field name
          </label>
          <input
            id="field-name"
            value={fieldName}
            onChange={(event) => setFieldName(event.target.value)}
            placeholder="Field"
            className="w-24 rounded-md border border-slate-300 px-2 py-1"
          />
          <label className="sr-only" htmlFor="field-value">
            Field value
          </label>
          <input
            id="field-value"
            value={fieldValue}
            onChange={(event) => setFieldValue(event.target.value)}
            placeholder="Value"
            className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1"
          />
          <button type="submit" className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-100">
            Save
          </button>
        </form>
        {setField.isError && (
          <p role="alert" className="text-red-700">
            {setField.error.message}
          </p>
        )}
      </section>
      {isAdmin && (
        <section aria-labelledby="data-heading" className="space-y-2">
          <h3 id="data-heading" className="font-medium">
            Their data
          </h3>
          <a
            href={`/api/subscribers/${subscriberId}/export`}
            download
            className="text-brand-700 inline-block underline hover:no-underline"
          >
            Export data (JSON)
          </a>
          {confirmingErase ? (
            <div
              role="group"
              aria-label="Erase this person"
              className="space-y-2 rounded-md border border-red-300 p-2"
            >
              <p>
                Erase {name}’s messages, conversations and profile for good? Only a mark that they were erased
                stays, so no automated message reaches them again.
              </p>
              <div className="flex gap-2">
                <button
                  type="button"
                  onClick={() => erase.mutate()}
                  disabled={erase.isPending}
                  className="rounded-md bg-red-700 px-2 py-1 text-white hover:bg-red-800"
                >
                  Erase for good
                </button>
                <button
                  type="button"
                  onClick={() => setConfirmingErase(false)}
                  className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-100"
                >
                  Keep
                </button>
              </div>
            </div>
          ) : (
            <button
              type="button"
              onClick={() => setConfirmingErase(true)}
              className="block rounded-md border border-red-300 px-2 py-1 text-red-800 hover:bg-red-50"
            >
              Erase this person
            </button>
          )}
          {erase.isError && (
            <p role="alert" className="text-red-700">
              {erase.error.message}
            </p>
          )}
        </section>
      )}
    </aside>
  );
}
