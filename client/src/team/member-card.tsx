import { useState, type FormEvent } from 'react';
import { useChangeMember, useMemberPages, useRemoveMember } from '../api/team';
import type { Member, MemberPage } from '../api/types';
import { ModalDialog } from '../layout/modal-dialog';
import { roleName } from './roles';

const button = 'rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 disabled:opacity-50';

const sharingWords = (sharing: MemberPage['sharing']) => {
  if (sharing.scope === 'workspace') return 'shared with the whole workspace';
  if (sharing.scope === 'team') return `shared with team ${sharing.teamId ?? ''}`;
  return 'private';
};

/** One member: their role, their teams, the Pages they see because of them, and removing them. */
export function MemberCard({
  member,
  roles,
  isMe,
  teamListId,
}: {
  member: Member;
  roles: string[];
  isMe: boolean;
  /** The id of the datalist of the workspace's team names, offered when adding to a team. */
  teamListId: string;
}) {
  const name = member.name ?? 'Someone';
  const change = useChangeMember(member.userId);
  const remove = useRemoveMember();
  const [team, setTeam] = useState('');
  const [confirming, setConfirming] = useState(false);
  const teamIds = member.teamIds ?? [];

  const addToTeam = (event: FormEvent) => {
    event.preventDefault();
    const named = team.trim();
    if (!named || teamIds.includes(named)) return;
    change.mutate({ teamIds: [...teamIds, named] }, { onSuccess: () => setTeam('') });
  };

  return (
    <li aria-label={name} className="space-y-3 rounded-md border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center gap-3">
        <h3 className="font-medium">
          {name}
          {isMe && <span className="font-normal text-slate-600"> (you)</span>}
        </h3>
        <label className="flex items-center gap-2 text-sm">
          Role
          <select
            value={member.role}
            disabled={change.isPending}
            onChange={(event) => change.mutate({ role: event.target.value })}
            className="rounded-md border border-slate-300 bg-white px-2 py-1"
          >
            {[...new Set([...roles, member.role])].map((role) => (
              <option key={role} value={role}>
                {roleName(role)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => setConfirming(true)}
          className="ml-auto rounded-md border border-red-300 px-2 py-1 text-sm text-red-800 hover:bg-red-50"
        >
          Remove from workspace
        </button>
      </div>

      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span>Teams:</span>
        {teamIds.length === 0 && <span className="text-slate-600">none</span>}
        <ul aria-label={`Teams of ${name}`} className="flex flex-wrap gap-2">
          {teamIds.map((teamId) => (
            <li key={teamId} className="flex items-center gap-1 rounded-full bg-brand-50 py-0.5 pl-2 pr-1">
              {teamId}
              <button
                type="button"
                aria-label={`Take ${name} out of team ${teamId}`}
                disabled={change.isPending}
                onClick={() => change.mutate({ teamIds: teamIds.filter((id) => id !== teamId) })}
                className="rounded-full px-1.5 text-slate-700 hover:bg-brand-100"
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      </div>
      <form onSubmit={addToTeam} className="flex flex-wrap items-center gap-2 text-sm">
        <label className="flex items-center gap-2">
          Add to team
          <input
            list={teamListId}
            value={team}
            maxLength={100}
            onChange={(event) => setTeam(event.target.value)}
            placeholder="a team, or a new name"
            className="w-48 rounded-md border border-slate-300 px-2 py-1"
          />
        </label>
        <button type="submit" disabled={!team.trim() || change.isPending} className={button}>
          Add
        </button>
      </form>

      <PagesSeen userId={member.userId} name={name} isAdmin={member.role === 'admin'} />

      {change.isError && (
        <p role="alert" className="text-sm text-red-700">
          {change.error.message}
        </p>
      )}
      {confirming && (
        <ModalDialog labelledBy={`remove-${member.userId}`} onClose={() => setConfirming(false)}>
          <h2 id={`remove-${member.userId}`} className="text-lg font-semibold">
            Remove {name}?
          </h2>
          <p className="mt-2 text-sm text-slate-700">
            {isMe ? 'You' : 'They'} lose access to this workspace at once: every open session ends and every
            open dashboard is signed out. An invitation brings {isMe ? 'you' : 'them'} back.
          </p>
          {remove.isError && (
            <p role="alert" className="mt-2 text-sm text-red-700">
              {remove.error.message}
            </p>
          )}
          <div className="mt-4 flex justify-end gap-2">
            <button type="button" onClick={() => setConfirming(false)} className={button}>
              Cancel
            </button>
            <button
              type="button"
              disabled={remove.isPending}
              onClick={() =>
                remove.mutate(member.userId, {
                  onSuccess: () => (isMe ? window.location.assign('/login') : setConfirming(false)),
                })
              }
              className="rounded-md bg-red-700 px-3 py-1 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-50"
            >
              Remove {name}
            </button>
          </div>
        </ModalDialog>
      )}
    </li>
  );
}

function PagesSeen({ userId, name, isAdmin }: { userId: string; name: string; isAdmin: boolean }) {
  const pages = useMemberPages(userId);
  if (pages.isPending) return <p className="text-sm text-slate-500">Reading which Pages they see…</p>;
  if (pages.isError) return <p className="text-sm text-red-700">{pages.error.message}</p>;
  const count = `${pages.data.length} ${pages.data.length === 1 ? 'Page' : 'Pages'}`;
  return (
    <div className="text-sm">
      <p>
        Sees {count}
        {isAdmin ? ', every Page of the workspace as an admin' : ''}
        {pages.data.length === 0 &&
          ': share a Page with one of their teams or the whole workspace on the Pages screen'}
      </p>
      {pages.data.length > 0 && (
        <ul aria-label={`Pages ${name} sees`} className="mt-1 list-disc pl-5 text-slate-700">
          {pages.data.map((page) => (
            <li key={page.id}>
              {page.name} <span className="text-slate-600">({sharingWords(page.sharing)})</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
