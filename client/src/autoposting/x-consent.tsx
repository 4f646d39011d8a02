import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useGrantXConsent, useRevokeXConsent, type AutopostFeed } from '../api/autoposting';
import { useXAccounts } from '../api/x';
import { fullDate } from '../inbox/time';

const button = 'rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 disabled:opacity-50';

/** The X account owner's standing consent for this feed: given with the wording shown, revoked in one click. */
export function XConsent({ feed, wording }: { feed: AutopostFeed; wording: string }) {
  const grant = useGrantXConsent(feed.id);
  const revoke = useRevokeXConsent(feed.id);
  const accounts = useXAccounts();
  // Only an account's owner may consent to sharing on it, and only a connected account can post.
  const ownAccounts = (accounts.data ?? []).filter(
    (account) => account.isOwner && account.status === 'connected',
  );
  const [chosenAccountId, setChosenAccountId] = useState('');
  const xAccountId = chosenAccountId || ownAccounts[0]?.id || '';
  const [agreed, setAgreed] = useState(false);
  const error = grant.error ?? revoke.error ?? accounts.error;
  const consent = feed.xConsent;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    grant.mutate(xAccountId, { onSuccess: () => setAgreed(false) });
  };

  return (
    <div className="space-y-2 rounded-md bg-slate-50 p-2">
      {consent ? (
        <>
          <p>
            Shared on X account{' '}
            <strong>{consent.xUsername ? `@${consent.xUsername}` : 'no longer connected'}</strong> by its
            owner’s standing consent, given {fullDate(consent.grantedAt)}.
          </p>
          <button
            type="button"
            className={button}
            disabled={revoke.isPending}
            onClick={() => revoke.mutate()}
          >
            Revoke X consent
          </button>
        </>
      ) : accounts.isPending ? (
        <p>Loading your X accounts…</p>
      ) : ownAccounts.length === 0 ? (
        <p>
          No standing consent: new items are not shared on X. Only the owner of an X account may consent to
          sharing on it, and you have none connected.{' '}
          <Link to="/x-accounts" className="font-medium text-brand-700 underline">
            Connect your X account first
          </Link>
          .
        </p>
      ) : (
        <form onSubmit={submit} className="space-y-2">
          <p>No standing consent: new items are not shared on X.</p>
          <label className="block">
            <span className="font-medium">Your X account</span>
            <select
              required
              value={xAccountId}
              onChange={(event) => setChosenAccountId(event.target.value)}
              className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1"
            >
              {ownAccounts.map((account) => (
                <option key={account.id} value={account.id}>
                  @{account.username} ({account.name})
                </option>
              ))}
            </select>
          </label>
          <label className="flex items-start gap-2">
            <input type="checkbox" checked={agreed} onChange={(event) => setAgreed(event.target.checked)} />
            <span>{wording}</span>
          </label>
          <button type="submit" className={button} disabled={!agreed || grant.isPending}>
            Give standing consent
          </button>
        </form>
      )}
      {error && (
        <p role="alert" className="text-red-700">
          {error.message}
        </p>
      )}
    </div>
  );
}
