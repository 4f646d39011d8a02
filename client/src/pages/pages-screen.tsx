import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, get, post } from '../api/http';
import { usePages } from '../api/pages';
import { useMe } from '../api/session';
import type { AvailablePage, PageView } from '../api/types';
import { SharingOptions, sharingOf, sharingValue } from '../layout/sharing-options';

const healthWords: Record<string, { label: string; tone: string }> = {
  ok: { label: 'Healthy', tone: 'bg-emerald-100 text-emerald-900' },
  needs_reauth: { label: 'Needs reconnecting', tone: 'bg-red-100 text-red-900' },
  permission_missing: { label: 'Permission missing', tone: 'bg-red-100 text-red-900' },
};

type Sharing = PageView['sharing'];

/** Connect the Pages you manage, see their health and audience, copy their m.me link, choose who sees them. */
export default function PagesScreen() {
  const me = useMe();
  const isAdmin = me.data?.role === 'admin';
  const pages = usePages();
  return (
    <div className="mx-auto max-w-4xl space-y-8 p-4">
      <h1 className="text-2xl font-semibold">Pages</h1>
      {isAdmin && <ConnectPages />}
      <section aria-labelledby="connected-heading" className="space-y-3">
        <h2 id="connected-heading" className="text-lg font-medium">
          Connected Pages
        </h2>
        {pages.isPending && <p className="text-slate-500">Loading…</p>}
        {pages.isError && <p className="text-red-700">{pages.error.message}</p>}
        {pages.data?.length === 0 && <p className="text-slate-600">No Page is connected yet.</p>}
        <ul className="space-y-3">
          {pages.data?.map((page) => (
            <ConnectedPage key={page.id} page={page} isAdmin={isAdmin} />
          ))}
        </ul>
      </section>
    </div>
  );
}

function ConnectPages() {
  const client = useQueryClient();
  const available = useQuery({
    queryKey: ['pages', 'available'],
    queryFn: async () => (await get<{ data: AvailablePage[] }>('/api/pages/available')).data,
  });
  const connect = useMutation({
    mutationFn: (fbPageId: string) => post('/api/pages', { fbPageIds: [fbPageId] }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['pages'] }),
  });
  const notConnected = available.data?.filter((page) => !page.connected) ?? [];
  return (
    <section
      aria-labelledby="connect-heading"
      className="space-y-3 rounded-md border border-slate-200 bg-white p-4"
    >
      <h2 id="connect-heading" className="text-lg font-medium">
        Connect a Page
      </h2>
      {available.isPending && <p className="text-slate-500">Asking Facebook which Pages you manage…</p>}
      {available.isError && <p className="text-red-700">{available.error.message}</p>}
      {available.data && notConnected.length === 0 && (
        <p className="text-slate-600">Every Page you manage on Facebook is connected.</p>
      )}
      <ul className="space-y-2">
        {notConnected.map((page) => (
          <li key={page.fbPageId} className="flex items-center justify-between gap-3">
            <span>
              {page.name} {page.category && <span className="text-sm text-slate-500">· {page.category}</span>}
            </span>
            <button
              type="button"
              disabled={connect.isPending}
              onClick={() => connect.mutate(page.fbPageId)}
              className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50"
            >
              Connect {page.name}
            </button>
          </li>
        ))}
      </ul>
      {connect.isError && (
        <p role="alert" className="text-red-700">
          {connect.error.message}
        </p>
      )}
    </section>
  );
}

function ConnectedPage({ page, isAdmin }: { page: PageView; isAdmin: boolean }) {
  const client = useQueryClient();
  const [copied, setCopied] = useState(false);
  const [noTeam, setNoTeam] = useState(false);
  const health = healthWords[page.health.status] ?? { label: page.health.status, tone: 'bg-slate-100' };
  const changeSharing = useMutation({
    mutationFn: (sharing: { scope: Sharing['scope']; teamId?: string }) =>
      api('PATCH', `/api/pages/${page.id}`, sharing),
    onSuccess: () => client.invalidateQueries({ queryKey: ['pages'] }),
  });
  const onSharing = (value: string) => {
    setNoTeam(value === 'team:');
    if (value !== 'team:') changeSharing.mutate(sharingOf(value));
  };
  const copy = async () => {
    await navigator.clipboard.writeText(page.mMeLink).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  return (
    <li aria-label={page.name} className="space-y-2 rounded-md border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="font-medium">{page.name}</h3>
        <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${health.tone}`}>{health.label}</span>
        {page.automatedSendsPaused && (
          <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">
            Automated sends paused (
            {page.automationPauses.map((pause) => pause.reason.replaceAll('_', ' ')).join(', ')})
          </span>
        )}
      </div>
      {page.health.reason && <p className="text-sm text-slate-600">{page.health.reason}</p>}
      {page.health.status !== 'ok' && isAdmin && (
        <a href="/auth/facebook" className="text-sm font-medium text-brand-700 underline">
          Reconnect with Facebook
        </a>
      )}
      <p className="text-sm">
        <span className="font-medium">{page.subscriberCount.toLocaleString()}</span> subscribers
      </p>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span>m.me link:</span>
        <code className="rounded bg-slate-100 px-1">{page.mMeLink}</code>
        <button
          type="button"
          onClick={copy}
          className="rounded-md border border-slate-300 px-2 py-0.5 hover:bg-slate-100"
        >
          {copied ? 'Copied' : 'Copy link'}
        </button>
      </div>
      <label className="flex flex-wrap items-center gap-2 text-sm">
        Sharing
        <select
          aria-label="Sharing"
          value={noTeam ? 'team:' : sharingValue(page.sharing)}
          disabled={!isAdmin || changeSharing.isPending}
          onChange={(event) => onSharing(event.target.value)}
          className="max-w-full rounded-md border border-slate-300 bg-white px-2 py-1"
        >
          <SharingOptions currentTeamId={page.sharing.teamId} />
        </select>
      </label>
      {page.sharing.scope === 'team' && (
        <p className="text-sm text-slate-600">
          Shared with team <span className="font-medium">{page.sharing.teamId}</span>: agents outside it do
          not see this Page or its conversations.
        </p>
      )}
      {noTeam && (
        <p role="alert" className="text-sm text-red-700">
          No team exists yet. A team exists once a member is put in it on the{' '}
          <Link to="/team" className="font-medium underline">
            Team screen
          </Link>
          ; then share this Page with it here.
        </p>
      )}
      {changeSharing.isError && (
        <p role="alert" className="text-red-700">
          {changeSharing.error.message}
        </p>
      )}
    </li>
  );
}
