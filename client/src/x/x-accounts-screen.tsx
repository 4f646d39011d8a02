import { useSearchParams } from 'react-router';
import { useMe, useTeams } from '../api/session';
import {
  useChangeXSharing,
  useConnectX,
  useRevokeX,
  useXAccountReport,
  useXAccounts,
  useXScopes,
  type XAccount,
} from '../api/x';
import { fullDate } from '../inbox/time';

const button = 'rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 disabled:opacity-50';

/** Each member's X accounts: what Pagewire asks X for and why, connecting, who sees each account, revoking. */
export default function XAccountsScreen() {
  const [params] = useSearchParams();
  const connected = params.get('connected');
  const error = params.get('error');
  return (
    <div className="mx-auto max-w-4xl space-y-8 p-4">
      <h1 className="text-2xl font-semibold">X accounts</h1>
      {connected && (
        <p role="status" className="rounded-md bg-green-50 p-3 text-sm text-green-800">
          @{connected} is connected. Only you can share through it.
        </p>
      )}
      {error && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      )}
      <ConnectSection />
      <AccountList />
    </div>
  );
}

function ConnectSection() {
  const scopes = useXScopes();
  const connect = useConnectX();
  return (
    <section
      aria-labelledby="connect-heading"
      className="space-y-3 rounded-md border border-slate-200 bg-white p-4"
    >
      <h2 id="connect-heading" className="text-lg font-medium">
        Connect your X account
      </h2>
      <p className="text-sm text-slate-600">
        Pagewire posts to X only by your own action: when you press Share now or schedule a post, or when you
        give a feed your standing consent on the Autoposting screen. Here is every permission X can ask for,
        and what Pagewire does with it.
      </p>
      {scopes.isError && <p className="text-sm text-red-700">{scopes.error.message}</p>}
      {/* Scrolls sideways on a phone; focusable so a keyboard can scroll it too. */}
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="X permissions">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">X permissions and what Pagewire uses them for</caption>
          <thead>
            <tr className="border-b border-slate-200">
              <th scope="col" className="py-1 pr-3">
                Permission
              </th>
              <th scope="col" className="py-1 pr-3">
                Asked for
              </th>
              <th scope="col" className="py-1">
                What for
              </th>
            </tr>
          </thead>
          <tbody>
            {scopes.data?.map((row) => (
              <tr key={row.scope} className="border-b border-slate-100 align-top">
                <td className="py-1 pr-3 font-mono">{row.scope}</td>
                <td className="py-1 pr-3">{row.requested ? 'Yes' : 'No'}</td>
                <td className={`py-1 ${row.requested ? '' : 'text-slate-600'}`}>{row.use}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button
        type="button"
        onClick={() => connect.mutate()}
        disabled={connect.isPending}
        className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50"
      >
        Connect with X
      </button>
      {connect.isError && (
        <p role="alert" className="text-sm text-red-700">
          {connect.error.message}
        </p>
      )}
    </section>
  );
}

function AccountList() {
  const accounts = useXAccounts();
  return (
    <section aria-labelledby="accounts-heading" className="space-y-3">
      <h2 id="accounts-heading" className="text-lg font-medium">
        Connected accounts
      </h2>
      {accounts.isPending && <p className="text-sm text-slate-500">Loading…</p>}
      {accounts.isError && <p className="text-sm text-red-700">{accounts.error.message}</p>}
      {accounts.data?.length === 0 && <p className="text-sm text-slate-600">No X account you can see yet.</p>}
      <ul aria-label="X accounts" className="space-y-2">
        {accounts.data?.map((account) => (
          <AccountRow key={account.id} account={account} />
        ))}
      </ul>
    </section>
  );
}

const sharingValue = (sharing: XAccount['sharing']) =>
  sharing.scope === 'team' ? `team:${sharing.teamId ?? ''}` : sharing.scope;

function AccountRow({ account }: { account: XAccount }) {
  const me = useMe();
  const teams = useTeams();
  const report = useXAccountReport(account.id);
  const changeSharing = useChangeXSharing(account.id);
  const revoke = useRevokeX();
  const mayManage = account.isOwner || me.data?.role === 'admin';
  const isLive = account.status !== 'revoked';
  const onSharing = (value: string) =>
    changeSharing.mutate(
      value.startsWith('team:') ? { scope: 'team', teamId: value.slice(5) } : { scope: value },
    );
  return (
    <li className="space-y-2 rounded-md border border-slate-200 bg-white p-3 text-sm">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
        <span className="font-medium">@{account.username}</span>
        <span className="text-slate-600">{account.name}</span>
        <span className={account.status === 'connected' ? 'text-green-800' : 'text-red-700'}>
          {account.status === 'connected'
            ? 'Connected'
            : account.status === 'revoked'
              ? 'Revoked'
              : 'Needs reconnecting'}
        </span>
        <span className="text-slate-600">
          {account.revokedAt
            ? `Revoked ${fullDate(account.revokedAt)}`
            : `Connected ${fullDate(account.connectedAt)}`}
          {account.isOwner ? ' by you' : ''}
        </span>
      </div>
      {report.data && (
        <p className="text-slate-700">
          {report.data.posted} posted · reach {report.data.totalReach.toLocaleString()} ·{' '}
          {report.data.totalClicks} {report.data.totalClicks === 1 ? 'click' : 'clicks'}
          {report.data.scheduled > 0 ? ` · ${report.data.scheduled} scheduled` : ''}
        </p>
      )}
      {mayManage && isLive && (
        <div className="flex flex-wrap items-center gap-2">
          <label className="flex items-center gap-2">
            <span>Who sees it</span>
            <select
              value={sharingValue(account.sharing)}
              onChange={(event) => onSharing(event.target.value)}
              className="rounded-md border border-slate-300 px-2 py-1"
            >
              <option value="private">Only its owner (and admins)</option>
              <option value="workspace">The whole workspace</option>
              {(teams.data ?? []).map((team) => (
                <option key={team.id} value={`team:${team.id}`}>
                  Team {team.id}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className={button}
            disabled={revoke.isPending}
            onClick={() => {
              if (
                window.confirm(`Revoke @${account.username}? Pagewire forgets its tokens; its history stays.`)
              )
                revoke.mutate(account.id);
            }}
          >
            Revoke
          </button>
        </div>
      )}
      {(changeSharing.isError || revoke.isError) && (
        <p role="alert" className="text-red-700">
          {(changeSharing.error ?? revoke.error)?.message}
        </p>
      )}
    </li>
  );
}
