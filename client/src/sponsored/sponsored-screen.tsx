import { useState, type FormEvent } from 'react';
import { Navigate } from 'react-router';
import { usePages } from '../api/pages';
import { useMe } from '../api/session';
import {
  useAdAccounts,
  useCreateSponsoredMessage,
  useSponsoredAction,
  useSponsoredMessages,
  type SponsoredMessage,
} from '../api/sponsored-messages';
import { fullDate } from '../inbox/time';

const field = 'mt-1 block w-full rounded-md border border-slate-300 px-2 py-1';
const button = 'rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 disabled:opacity-50';

const money = (minorUnits: number, currency: string) =>
  new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(minorUnits / 100);

/** Sponsored messages: paid messages Meta delivers to people who already messaged the Page. */
export default function SponsoredScreen() {
  const me = useMe();
  if (me.data && !me.data.can.sponsor) return <Navigate to="/" replace />;
  return (
    <div className="mx-auto max-w-4xl space-y-6 p-4">
      <h1 className="text-2xl font-semibold">Sponsored messages</h1>
      <p className="text-sm text-slate-600">
        A sponsored message is an ad in Messenger: Meta delivers it, for a budget you set, to people who have
        already messaged your Page, and to no one else. It is made in your own ad account with your own
        Facebook permission to manage ads.
      </p>
      <NewSponsoredMessage />
      <SponsoredList />
    </div>
  );
}

function NewSponsoredMessage() {
  const pages = usePages();
  const accounts = useAdAccounts();
  const create = useCreateSponsoredMessage();
  const [pageId, setPageId] = useState('');
  const [adAccountId, setAdAccountId] = useState('');
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const [kind, setKind] = useState<'daily' | 'lifetime'>('daily');
  const [amount, setAmount] = useState('5.00');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const page = pageId || pages.data?.[0]?.id || '';
  const account = adAccountId || accounts.data?.[0]?.id || '';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      {
        pageId: page,
        adAccountId: account,
        name,
        text,
        budget: { kind, amount: Math.round(Number(amount) * 100) },
        startTime: (start ? new Date(start) : new Date()).toISOString(),
        ...(end ? { endTime: new Date(end).toISOString() } : {}),
      },
      { onSuccess: () => setText('') },
    );
  };
  return (
    <section
      aria-labelledby="new-sponsored-heading"
      className="space-y-3 rounded-md border border-slate-200 bg-white p-4"
    >
      <h2 id="new-sponsored-heading" className="text-lg font-medium">
        New sponsored message
      </h2>
      {accounts.isError && (
        <p role="alert" className="text-sm text-red-700">
          {accounts.error.message}
        </p>
      )}
      <form onSubmit={submit} className="grid gap-3 text-sm sm:grid-cols-2">
        <label className="block">
          <span className="font-medium">Page</span>
          <select value={page} onChange={(event) => setPageId(event.target.value)} className={field}>
            {pages.data?.map((option) => (
              <option key={option.id} value={option.id}>
                {option.name}
              </option>
            ))}
          </select>
        </label>
        <label className="block">
          <span className="font-medium">Ad account</span>
          <select value={account} onChange={(event) => setAdAccountId(event.target.value)} className={field}>
            {accounts.data?.map((option) => (
              <option key={option.id} value={option.id}>
                {option.name} ({option.currency})
              </option>
            ))}
          </select>
        </label>
        <label className="block sm:col-span-2">
          <span className="font-medium">Name</span>
          <input
            value={name}
            onChange={(event) => setName(event.target.value)}
            required
            maxLength={200}
            className={field}
          />
        </label>
        <label className="block sm:col-span-2">
          <span className="font-medium">Message</span>
          <textarea
            value={text}
            onChange={(event) => setText(event.target.value)}
            required
            maxLength={1999}
            rows={3}
            className={field}
          />
        </label>
        <label className="block">
          <span className="font-medium">Budget</span>
          <select
            value={kind}
            onChange={(event) => setKind(event.target.value as 'daily' | 'lifetime')}
            className={field}
          >
            <option value="daily">Per day</option>
            <option value="lifetime">In total (needs an end)</option>
          </select>
        </label>
        <label className="block">
          <span className="font-medium">Amount</span>
          <input
            type="number"
            min="0.01"
            step="0.01"
            value={amount}
            onChange={(event) => setAmount(event.target.value)}
            required
            className={field}
          />
        </label>
        <label className="block">
          <span className="font-medium">Starts</span>
          <input
            type="datetime-local"
            value={start}
            onChange={(event) => setStart(event.target.value)}
            className={field}
          />
        </label>
        <label className="block">
          <span className="font-medium">Ends (optional for a daily budget)</span>
          <input
            type="datetime-local"
            value={end}
            onChange={(event) => setEnd(event.target.value)}
            className={field}
          />
        </label>
        <div className="sm:col-span-2">
          <button
            type="submit"
            disabled={create.isPending || !account}
            className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700 disabled:opacity-50"
          >
            Create and start
          </button>
          {create.isError && (
            <p role="alert" className="mt-2 text-red-700">
              {create.error.message}
            </p>
          )}
        </div>
      </form>
    </section>
  );
}

function SponsoredList() {
  const messages = useSponsoredMessages();
  return (
    <section aria-labelledby="sponsored-list-heading" className="space-y-2">
      <h2 id="sponsored-list-heading" className="text-lg font-medium">
        Your sponsored messages
      </h2>
      {messages.data?.length === 0 && <p className="text-sm text-slate-600">None yet.</p>}
      <ul className="space-y-2">
        {messages.data?.map((message) => (
          <SponsoredCard key={message.id} message={message} />
        ))}
      </ul>
    </section>
  );
}

function SponsoredCard({ message }: { message: SponsoredMessage }) {
  const refresh = useSponsoredAction('refresh');
  const pause = useSponsoredAction('pause');
  const { budget, results } = message;
  return (
    <li className="space-y-1 rounded-md border border-slate-200 bg-white p-3 text-sm">
      <div className="flex flex-wrap items-baseline gap-x-3">
        <span className="font-medium">{message.name}</span>
        <span>{message.state}</span>
        {message.effectiveStatus && <span className="text-slate-600">Meta: {message.effectiveStatus}</span>}
      </div>
      <p className="text-slate-700">{message.text}</p>
      <p className="text-slate-600">
        {money(budget.amount, budget.currency)} {budget.kind === 'daily' ? 'per day' : 'in total'} · from{' '}
        {fullDate(message.startTime)}
        {message.endTime && <> to {fullDate(message.endTime)}</>}
      </p>
      {results ? (
        <p>
          Reached {results.reach} · {results.impressions} impressions · spent{' '}
          {money(results.spend, budget.currency)}{' '}
          <span className="text-slate-600">(read {fullDate(results.pulledAt)})</span>
        </p>
      ) : (
        <p className="text-slate-600">No results read yet.</p>
      )}
      {message.failure && <p className="text-red-800">{message.failure}</p>}
      <div className="flex gap-2">
        <button
          type="button"
          className={button}
          onClick={() => refresh.mutate(message.id)}
          disabled={refresh.isPending}
        >
          Read results now
        </button>
        {message.state === 'active' && (
          <button
            type="button"
            className={button}
            onClick={() => pause.mutate(message.id)}
            disabled={pause.isPending}
          >
            Pause
          </button>
        )}
      </div>
      {(refresh.isError || pause.isError) && (
        <p role="alert" className="text-red-700">
          {(refresh.error ?? pause.error)?.message}
        </p>
      )}
    </li>
  );
}
