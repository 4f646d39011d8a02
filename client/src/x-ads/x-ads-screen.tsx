import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useStartXAdsConnection, useXAdsConnections } from '../api/x-ads';
import { SharingOptions, sharingOf } from '../layout/sharing-options';
import { ConnectionCard } from './connection-card';
import { RoleTable } from './role-table';

/** X Ads: the connections this member sees, each ads account's role and what it lets Pagewire read, and its metrics. */
export default function XAdsScreen() {
  const connections = useXAdsConnections();
  const [params] = useSearchParams();
  const justConnected = params.get('connected');
  const connectError = params.get('error');
  const list = connections.data?.data ?? [];
  return (
    <div className="mx-auto max-w-4xl space-y-6 p-4">
      <h1 className="text-2xl font-semibold">X Ads</h1>
      <p className="text-sm text-slate-600">
        Pagewire reads the daily results of X ads accounts, as far as the connecting person’s role on each
        account allows, and never changes anything on X. It pulls on a schedule and slows down before X’s rate
        limit.
      </p>
      {justConnected && list.some((connection) => connection.id === justConnected) && (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          Connected. The first metrics arrive with the next pull, or pull them now below.
        </p>
      )}
      {connectError && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {connectError}
        </p>
      )}
      {connections.data?.can.connect && <ConnectForm />}
      <section aria-labelledby="x-ads-connections-heading" className="space-y-3">
        <h2 id="x-ads-connections-heading" className="text-lg font-medium">
          Connections
        </h2>
        {connections.isPending && <p className="text-slate-500">Loading…</p>}
        {connections.isError && <p className="text-red-700">{connections.error.message}</p>}
        {connections.data && list.length === 0 && (
          <p className="text-sm text-slate-600">No X Ads connection you can see yet.</p>
        )}
        <ul aria-label="X Ads connections" className="space-y-4">
          {list.map((connection) => (
            <ConnectionCard
              key={connection.id}
              connection={connection}
              mayPull={connections.data?.can.pull ?? false}
            />
          ))}
        </ul>
      </section>
      <RoleTable />
    </div>
  );
}

function ConnectForm() {
  const [name, setName] = useState('');
  const [sharing, setSharing] = useState('workspace');
  const start = useStartXAdsConnection();
  const noTeam = sharing === 'team:';
  return (
    <form
      aria-labelledby="x-ads-connect-heading"
      className="space-y-3 rounded-md border border-slate-200 bg-white p-4"
      onSubmit={(event) => {
        event.preventDefault();
        if (!noTeam) start.mutate({ name, sharing: sharingOf(sharing) });
      }}
    >
      <h2 id="x-ads-connect-heading" className="text-lg font-medium">
        Connect X Ads
      </h2>
      <p className="text-sm text-slate-600">
        X asks you to sign in and approve Pagewire reading your ads accounts; you come back here after.
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm">
          Name
          <input
            required
            maxLength={80}
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="Bakery ads"
            className="rounded-md border border-slate-300 px-2 py-1"
          />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          Shared with
          <select
            value={sharing}
            onChange={(event) => setSharing(event.target.value)}
            className="max-w-full rounded-md border border-slate-300 bg-white px-2 py-1"
          >
            <SharingOptions />
          </select>
        </label>
        <button
          type="submit"
          disabled={start.isPending || noTeam}
          className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50"
        >
          Connect X Ads
        </button>
      </div>
      {noTeam && (
        <p role="alert" className="text-sm text-red-700">
          No team exists yet: put members in a team on the Team screen first.
        </p>
      )}
      {start.isError && (
        <p role="alert" className="text-red-700">
          {start.error.message}
        </p>
      )}
    </form>
  );
}
