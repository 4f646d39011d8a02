import { useState } from 'react';
import {
  useChangeXAdsConnection,
  useDisconnectXAds,
  usePullXAdsMetrics,
  useXAdsMetrics,
  useXAdsRoles,
  type XAdsConnection,
} from '../api/x-ads';
import { SharingOptions, sharingOf, sharingValue } from '../layout/sharing-options';
import { AccountMetrics } from './account-metrics';
import { readsWords, rolesThatRead } from './role-table';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const statusWords: Record<XAdsConnection['status'], { label: string; tone: string }> = {
  active: { label: 'Active', tone: 'bg-emerald-100 text-emerald-900' },
  needs_reconnect: { label: 'Needs reconnecting', tone: 'bg-red-100 text-red-900' },
};

/** One connection: who connected it and when, its sharing, and per ads account the role and the metrics it allows. */
export function ConnectionCard({ connection, mayPull }: { connection: XAdsConnection; mayPull: boolean }) {
  const metrics = useXAdsMetrics(connection.id);
  const pull = usePullXAdsMetrics(connection.id);
  const status = statusWords[connection.status];
  return (
    <li aria-label={connection.name} className="space-y-3 rounded-md border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="text-lg font-medium">{connection.name}</h3>
        <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${status.tone}`}>{status.label}</span>
      </div>
      {connection.statusReason && <p className="text-sm text-red-800">{connection.statusReason}</p>}
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-600">X user</dt>
        <dd>@{connection.xUser.screenName}</dd>
        <dt className="text-slate-600">Connected</dt>
        <dd>
          {when.format(new Date(connection.connectedAt))} by{' '}
          {connection.connectedBy.name ?? 'a former member'}
        </dd>
        <dt className="text-slate-600">Last pulled</dt>
        <dd>{connection.lastPulledAt ? when.format(new Date(connection.lastPulledAt)) : 'Not yet'}</dd>
      </dl>
      {connection.mayChange ? (
        <ConnectionSettings connection={connection} />
      ) : (
        <p className="text-sm text-slate-600">
          Shared with {sharingWords(connection.sharing)}. Only an admin or who connected it may change it.
        </p>
      )}
      {mayPull && connection.status === 'active' && (
        <div className="flex flex-wrap items-center gap-2">
          <button
            type="button"
            disabled={pull.isPending}
            onClick={() => pull.mutate()}
            className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 disabled:opacity-50"
          >
            {pull.isPending ? 'Pulling…' : 'Pull metrics now'}
          </button>
          {pull.isError && (
            <p role="alert" className="text-sm text-red-700">
              {pull.error.message}
            </p>
          )}
        </div>
      )}
      {metrics.isError && <p className="text-red-700">{metrics.error.message}</p>}
      {connection.accounts.map((account) => {
        const figures = metrics.data?.find((entry) => entry.accountId === account.accountId);
        return (
          <section
            key={account.accountId}
            aria-label={`Ads account ${account.name}`}
            className="space-y-3 border-t border-slate-200 pt-3"
          >
            <h4 className="font-medium">Ads account {account.name}</h4>
            <AccountRole
              screenName={connection.xUser.screenName}
              accountName={account.name}
              roles={account.roles}
            />
            {account.metricsOffered.length > 0 && figures && <AccountMetrics metrics={figures} />}
          </section>
        );
      })}
    </li>
  );
}

const sharingWords = (sharing: XAdsConnection['sharing']) =>
  sharing.scope === 'workspace'
    ? 'the whole workspace'
    : sharing.scope === 'team'
      ? `team ${sharing.teamId ?? ''}`
      : 'the person who connected it';

/** The connecting person's role on the account and, from the server's role table, what it lets Pagewire read. */
function AccountRole({
  screenName,
  accountName,
  roles,
}: {
  screenName: string;
  accountName: string;
  roles: string[];
}) {
  const table = useXAdsRoles();
  if (!table.data) return null;
  const known = roles.map((label) => table.data.find((role) => role.label === label));
  const reads = new Set(known.flatMap((role) => role?.metrics ?? []));
  return (
    <div className="space-y-1 text-sm">
      <ul aria-label="Roles" className="space-y-1">
        {roles.map((label, i) => (
          <li key={label}>
            <span className="font-medium">{label}</span>: lets Pagewire read{' '}
            {readsWords(known[i]?.metrics ?? [])}
          </li>
        ))}
      </ul>
      {reads.size === 0 && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-900">
          No metrics here: @{screenName} is {roles.length > 0 ? roles.join(' and ') : 'given no role'} on{' '}
          {accountName}, and X shows an ads account’s campaign and account results only to an{' '}
          {rolesThatRead(table.data)}. Someone with one of those roles can connect the account instead.
        </p>
      )}
    </div>
  );
}

/** Rename, re-share or disconnect: for an admin or the person who connected it. */
function ConnectionSettings({ connection }: { connection: XAdsConnection }) {
  const change = useChangeXAdsConnection(connection.id);
  const disconnect = useDisconnectXAds(connection.id);
  const [name, setName] = useState(connection.name);
  const [noTeam, setNoTeam] = useState(false);
  const onSharing = (value: string) => {
    setNoTeam(value === 'team:');
    if (value !== 'team:') change.mutate({ sharing: sharingOf(value) });
  };
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-end gap-3 text-sm">
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            if (name.trim() && name !== connection.name) change.mutate({ name });
          }}
        >
          <label className="flex flex-col gap-1">
            Name
            <input
              required
              maxLength={80}
              value={name}
              onChange={(event) => setName(event.target.value)}
              className="rounded-md border border-slate-300 px-2 py-1"
            />
          </label>
          <button
            type="submit"
            disabled={change.isPending}
            className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100 disabled:opacity-50"
          >
            Rename
          </button>
        </form>
        <label className="flex flex-col gap-1">
          Shared with
          <select
            value={noTeam ? 'team:' : sharingValue(connection.sharing)}
            disabled={change.isPending}
            onChange={(event) => onSharing(event.target.value)}
            className="max-w-full rounded-md border border-slate-300 bg-white px-2 py-1"
          >
            <SharingOptions currentTeamId={connection.sharing.teamId} />
          </select>
        </label>
        <button
          type="button"
          disabled={disconnect.isPending}
          onClick={() => {
            if (window.confirm(`Disconnect ${connection.name}? Pagewire forgets its tokens and metrics.`))
              disconnect.mutate();
          }}
          className="rounded-md border border-red-300 px-3 py-1 text-red-800 hover:bg-red-50 disabled:opacity-50"
        >
          Disconnect
        </button>
      </div>
      {noTeam && (
        <p role="alert" className="text-sm text-red-700">
          No team exists yet: put members in a team on the Team screen first.
        </p>
      )}
      {(change.error ?? disconnect.error) && (
        <p role="alert" className="text-sm text-red-700">
          {(change.error ?? disconnect.error)?.message}
        </p>
      )}
    </div>
  );
}
