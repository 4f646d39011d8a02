import { useQueryClient } from '@tanstack/react-query';
import { NavLink, Navigate, Outlet } from 'react-router';
import { forgetCsrfToken, post } from '../api/http';
import { useMe, useSandbox } from '../api/session';
import { ConnectionBanner } from '../realtime/connection-banner';
import { useLiveUpdates } from '../realtime/live-updates';
import { useSessionEndings } from '../realtime/session-endings';
import { closeSocket } from '../realtime/socket';
import { WorkspaceSwitcher } from './workspace-switcher';

const navLink = ({ isActive }: { isActive: boolean }) =>
  `rounded-md px-3 py-2 text-sm font-medium ${
    isActive ? 'bg-brand-600 text-white' : 'text-slate-700 hover:bg-slate-200'
  }`;

/** The logged-in frame: navigation, who is logged in, the connection banner, and the live updates for every screen. */
export function AppShell() {
  const me = useMe();
  const sandbox = useSandbox();
  if (me.isPending) return <p className="p-6 text-slate-500">Loading…</p>;
  if (me.isError) return <p className="p-6 text-red-700">Pagewire cannot be reached: {me.error.message}</p>;
  if (!me.data) return <Navigate to="/login" replace />;
  return (
    <LoggedIn
      name={me.data.user.name}
      workspace={me.data.workspace.name}
      sandbox={!!sandbox.data?.enabled}
      mayBroadcast={me.data.can.broadcast}
      automates={me.data.can.automate}
      sponsors={me.data.can.sponsor}
      invitesPhones={me.data.can.invitePhones}
      isAdmin={me.data.role === 'admin'}
      operator={me.data.operator}
    />
  );
}

function LoggedIn({
  name,
  workspace,
  sandbox,
  mayBroadcast,
  automates,
  sponsors,
  invitesPhones,
  isAdmin,
  operator,
}: {
  name: string;
  workspace: string;
  sandbox: boolean;
  mayBroadcast: boolean;
  automates: boolean;
  sponsors: boolean;
  invitesPhones: boolean;
  isAdmin: boolean;
  operator: boolean;
}) {
  useLiveUpdates();
  useSessionEndings();
  const client = useQueryClient();
  const logOut = async () => {
    await post('/auth/logout').catch(() => undefined);
    forgetCsrfToken();
    closeSocket();
    client.clear();
    window.location.assign('/login');
  };
  return (
    <div className="flex h-full flex-col">
      <header className="flex flex-wrap items-center gap-2 border-b border-slate-200 bg-white px-3 py-2">
        <span className="mr-2 font-semibold text-brand-700">Pagewire</span>
        <nav aria-label="Main" className="flex flex-wrap gap-1">
          <NavLink to="/" end className={navLink}>
            Overview
          </NavLink>
          <NavLink to="/inbox" className={navLink}>
            Inbox
          </NavLink>
          <NavLink to="/pages" className={navLink}>
            Pages
          </NavLink>
          {mayBroadcast && (
            <NavLink to="/broadcasts" className={navLink}>
              Broadcasts
            </NavLink>
          )}
          {sponsors && (
            <NavLink to="/sponsored" className={navLink}>
              Sponsored
            </NavLink>
          )}
          {invitesPhones && (
            <NavLink to="/phone-invites" className={navLink}>
              Phone invites
            </NavLink>
          )}
          {automates && (
            <NavLink to="/automation" className={navLink}>
              Automation
            </NavLink>
          )}
          <NavLink to="/x-ads" className={navLink}>
            X Ads
          </NavLink>
          <NavLink to="/share" className={navLink}>
            Share to X
          </NavLink>
          <NavLink to="/x-accounts" className={navLink}>
            X accounts
          </NavLink>
          {sandbox && (
            <NavLink to="/sandbox" className={navLink}>
              Sandbox
            </NavLink>
          )}
          {isAdmin && (
            <NavLink to="/team" className={navLink}>
              Team
            </NavLink>
          )}
          {isAdmin && (
            <NavLink to="/compliance" className={navLink}>
              Compliance
            </NavLink>
          )}
          {isAdmin && (
            <NavLink to="/api-keys" className={navLink}>
              API keys
            </NavLink>
          )}
          {isAdmin && (
            <NavLink to="/outgoing-webhooks" className={navLink}>
              Webhooks
            </NavLink>
          )}
          {isAdmin && (
            <NavLink to="/autoposting" className={navLink}>
              Autoposting
            </NavLink>
          )}
          {operator && (
            <a href="/admin/jobs/" className={navLink({ isActive: false })}>
              Jobs
            </a>
          )}
        </nav>
        <div className="ml-auto flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <span>{name} ·</span>
          <WorkspaceSwitcher current={workspace} />
          <button type="button" onClick={logOut} className="rounded-md px-2 py-1 hover:bg-slate-200">
            Log out
          </button>
        </div>
      </header>
      <ConnectionBanner />
      <main className="min-h-0 flex-1">
        <Outlet />
      </main>
    </div>
  );
}
