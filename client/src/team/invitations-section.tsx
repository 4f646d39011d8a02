import { ShownOnce } from '../layout/shown-once';
import { useState, type FormEvent } from 'react';
import { useCreateInvitation, usePendingInvitations, useRevokeInvitation } from '../api/team';
import { fullDate, spokenDuration } from '../inbox/time';
import { roleName } from './roles';

const button = 'rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 disabled:opacity-50';

const expiry = (iso: string) => `${fullDate(iso)} (in ${spokenDuration(Date.parse(iso) - Date.now())})`;

/** Invite with a role, copy the new link (shown once: the server keeps only its hash), revoke a pending one. */
export function InvitationsSection({ roles }: { roles: string[] }) {
  const pending = usePendingInvitations();
  const create = useCreateInvitation();
  const revoke = useRevokeInvitation();
  const [role, setRole] = useState('agent');
  const chosenRole = roles.includes(role) ? role : (roles[0] ?? role);

  const invite = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(chosenRole);
  };

  return (
    <section
      aria-labelledby="invitations-heading"
      className="space-y-3 rounded-md border border-slate-200 bg-white p-4"
    >
      <h2 id="invitations-heading" className="text-lg font-medium">
        Invitations
      </h2>
      <p className="text-sm text-slate-600">
        An invitation is a link that works once: whoever logs in with Facebook through it joins this workspace
        with the role you chose.
      </p>
      <form onSubmit={invite} className="flex flex-wrap items-center gap-2 text-sm">
        <label className="flex items-center gap-2">
          Role
          <select
            value={chosenRole}
            onChange={(event) => setRole(event.target.value)}
            className="rounded-md border border-slate-300 bg-white px-2 py-1"
          >
            {roles.map((name) => (
              <option key={name} value={name}>
                {roleName(name)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="submit"
          disabled={create.isPending}
          className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700 disabled:opacity-50"
        >
          Create invitation link
        </button>
      </form>
      {create.isError && (
        <p role="alert" className="text-sm text-red-700">
          {create.error.message}
        </p>
      )}
      {create.data && (
        <ShownOnce
          label={`New invitation link (${roleName(create.data.role)})`}
          value={create.data.url}
          copyLabel="Copy link"
        >
          Expires {expiry(create.data.expiresAt)}. Copy it now and send it to the person: it is not shown
          again.
        </ShownOnce>
      )}

      <h3 className="font-medium">Pending</h3>
      {pending.isPending && <p className="text-sm text-slate-500">Loading…</p>}
      {pending.isError && <p className="text-sm text-red-700">{pending.error.message}</p>}
      {pending.data?.length === 0 && <p className="text-sm text-slate-600">No invitation is waiting.</p>}
      <ul aria-label="Pending invitations" className="space-y-2">
        {pending.data?.map((invitation) => (
          <li key={invitation.id} className="flex flex-wrap items-center gap-2 text-sm">
            <span>
              <span className="font-medium">{roleName(invitation.role)}</span>, expires{' '}
              {expiry(invitation.expiresAt)}
            </span>
            <button
              type="button"
              disabled={revoke.isPending}
              onClick={() => revoke.mutate(invitation.id)}
              aria-label={`Revoke the ${invitation.role} invitation that expires ${fullDate(invitation.expiresAt)}`}
              className={button}
            >
              Revoke
            </button>
          </li>
        ))}
      </ul>
      {revoke.isError && (
        <p role="alert" className="text-sm text-red-700">
          {revoke.error.message}
        </p>
      )}
    </section>
  );
}
