import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useCancelXPost, useShareToX, useXAccounts, useXDraftCheck, useXPosts, type XPost } from '../api/x';
import { fullDate } from '../inbox/time';

/** What the owner typed, settled for a moment before the server counts it. */
function useSettled<T>(value: T, delayMs = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/** Share to X: compose with X's own count, share now or schedule, and the history with reach and clicks. */
export default function ShareScreen() {
  return (
    <div className="mx-auto max-w-4xl space-y-8 p-4">
      <h1 className="text-2xl font-semibold">Share to X</h1>
      <Composer />
      <History />
    </div>
  );
}

function Composer() {
  const accounts = useXAccounts();
  const mine = (accounts.data ?? []).filter((account) => account.isOwner && account.status === 'connected');
  const [accountId, setAccountId] = useState('');
  const [text, setText] = useState('');
  const [when, setWhen] = useState('');
  const chosen = accountId || mine[0]?.id || '';
  const check = useXDraftCheck(useSettled(text), chosen || undefined);
  const share = useShareToX();
  const count = check.data;
  const isOver = count ? count.weightedLength > count.maxLength : false;

  const submit = (event: FormEvent, schedule: boolean) => {
    event.preventDefault();
    share.mutate(
      {
        accountId: chosen,
        text,
        ...(schedule && when ? { scheduledFor: new Date(when).toISOString() } : {}),
      },
      { onSuccess: () => setText('') },
    );
  };

  if (accounts.isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  if (mine.length === 0) {
    return (
      <p className="text-sm text-slate-600">
        Connect your X account first, on{' '}
        <Link to="/x-accounts" className="text-brand-700 underline">
          X accounts
        </Link>
        . Only an account’s owner can share through it.
      </p>
    );
  }
  return (
    <section
      aria-labelledby="compose-heading"
      className="space-y-3 rounded-md border border-slate-200 bg-white p-4"
    >
      <h2 id="compose-heading" className="text-lg font-medium">
        Compose
      </h2>
      <form onSubmit={(event) => submit(event, false)} className="space-y-3 text-sm">
        <label className="block">
          <span className="font-medium">Account</span>
          <select
            value={chosen}
            onChange={(event) => setAccountId(event.target.value)}
            className="mt-1 block rounded-md border border-slate-300 px-2 py-1"
          >
            {mine.map((account) => (
              <option key={account.id} value={account.id}>
                @{account.username}
              </option>
            ))}
          </select>
        </label>
        <label className="block">
          <span className="font-medium">Post</span>
          <textarea
            value={text}
            onChange={(event) => setText(event.target.value)}
            rows={4}
            aria-describedby="post-count"
            className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1"
          />
        </label>
        <p id="post-count" aria-live="polite" className={isOver ? 'text-red-700' : 'text-slate-600'}>
          {count ? `${count.weightedLength} / ${count.maxLength}, as X counts it (a link counts 23)` : ' '}
        </p>
        {count?.duplicateReason && (
          <p role="alert" className="text-red-700">
            {count.duplicateReason}
          </p>
        )}
        <p className="text-slate-600">
          Links go through Pagewire’s tracked links: each click is counted, nothing about who clicked is kept.
        </p>
        <div className="flex flex-wrap items-end gap-3">
          <button
            type="submit"
            disabled={share.isPending || !count?.isValid || Boolean(count.duplicateReason)}
            className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700 disabled:opacity-50"
          >
            Share now
          </button>
          <label className="block">
            <span className="font-medium">Or schedule for</span>
            <input
              type="datetime-local"
              value={when}
              onChange={(event) => setWhen(event.target.value)}
              className="mt-1 block rounded-md border border-slate-300 px-2 py-1"
            />
          </label>
          <button
            type="button"
            onClick={(event) => submit(event, true)}
            disabled={share.isPending || !when || !count?.isValid || Boolean(count.duplicateReason)}
            className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-100 disabled:opacity-50"
          >
            Schedule
          </button>
        </div>
        <p className="text-slate-600">
          Pressing Share now or Schedule is your consent for this one post, and is recorded with it.
        </p>
      </form>
      {share.isError && (
        <p role="alert" className="text-sm text-red-700">
          {share.error.message}
        </p>
      )}
      {share.data && (
        <p role="status" className="text-sm text-slate-700">
          {share.data.status === 'posted'
            ? `Posted to @${share.data.username}, seen by up to ${share.data.reach ?? 0} followers.`
            : share.data.waitingUntil
              ? `Not posted yet: X's rate limit for @${share.data.username} is used up. It waits until ${fullDate(share.data.waitingUntil)}, then goes on its own.`
              : share.data.status === 'scheduled'
                ? `Scheduled for ${fullDate(share.data.scheduledFor)}.`
                : `Not posted: ${share.data.reason ?? share.data.status}`}
        </p>
      )}
    </section>
  );
}

const statusLabel: Record<string, string> = {
  scheduled: 'Scheduled',
  posting: 'Posting',
  posted: 'Posted',
  refused: 'Refused',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

function History() {
  const posts = useXPosts();
  return (
    <section aria-labelledby="history-heading" className="space-y-3">
      <h2 id="history-heading" className="text-lg font-medium">
        History
      </h2>
      {posts.isError && <p className="text-sm text-red-700">{posts.error.message}</p>}
      {posts.data?.length === 0 && <p className="text-sm text-slate-600">Nothing shared yet.</p>}
      <ul aria-label="Shared posts" className="space-y-2">
        {posts.data?.map((post) => (
          <PostRow key={post.id} post={post} />
        ))}
      </ul>
    </section>
  );
}

function PostRow({ post }: { post: XPost }) {
  const cancel = useCancelXPost();
  const accounts = useXAccounts();
  const isOwner = accounts.data?.some((account) => account.id === post.accountId && account.isOwner);
  return (
    <li className="space-y-1 rounded-md border border-slate-200 bg-white p-3 text-sm">
      <p className="whitespace-pre-wrap break-words">{post.text}</p>
      <p className="flex flex-wrap gap-x-4 gap-y-1 text-slate-700">
        <span className="font-medium">
          {post.waitingUntil
            ? `Waiting for X's rate limit until ${fullDate(post.waitingUntil)}`
            : (statusLabel[post.status] ?? post.status)}
        </span>
        <span>@{post.username}</span>
        <span>{fullDate(post.postedAt ?? post.scheduledFor)}</span>
        {post.reach !== null && <span>Reach {post.reach.toLocaleString()}</span>}
        {post.status === 'posted' && (
          <span>
            {post.clicks} {post.clicks === 1 ? 'click' : 'clicks'}
          </span>
        )}
        {post.xUrl && (
          <a href={post.xUrl} className="text-brand-700 underline" target="_blank" rel="noreferrer">
            View on X
          </a>
        )}
        {post.status === 'scheduled' && isOwner && (
          <button
            type="button"
            onClick={() => cancel.mutate(post.id)}
            disabled={cancel.isPending}
            className="rounded-md border border-slate-300 px-2 py-0.5 hover:bg-slate-100 disabled:opacity-50"
          >
            Cancel
          </button>
        )}
      </p>
      {post.reason && <p className={post.waitingUntil ? 'text-slate-700' : 'text-red-700'}>{post.reason}</p>}
    </li>
  );
}
