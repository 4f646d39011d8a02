import { useMe, useTeams } from '../api/session';
import { useTeamMembers } from '../api/team';
import { InvitationsSection } from './invitations-section';
import { MemberCard } from './member-card';
import { roleMeaning, roleName } from './roles';

const teamListId = 'team-names';

/** The admins' screen: members and their roles and teams, the Pages each sees, invitations, teams. */
export default function TeamScreen() {
  const me = useMe();
  const members = useTeamMembers();
  const teams = useTeams();
  if (me.data?.role !== 'admin')
    return <p className="p-4 text-slate-600">Only the workspace’s admins manage its team.</p>;
  const myId = me.data.user.id;
  const roles = members.data?.roles ?? [];
  const described = roles.filter((role) => roleMeaning(role));

  return (
    <div className="mx-auto max-w-4xl space-y-8 p-4">
      <h1 className="text-2xl font-semibold">Team</h1>
      <section aria-labelledby="members-heading" className="space-y-3">
        <h2 id="members-heading" className="text-lg font-medium">
          Members
        </h2>
        {described.length > 0 && (
          <ul className="text-sm text-slate-600">
            {described.map((role) => (
              <li key={role}>
                <span className="font-medium">{roleName(role)}</span>: {roleMeaning(role)}.
              </li>
            ))}
          </ul>
        )}
        {members.isPending && <p className="text-slate-500">Loading…</p>}
        {members.isError && <p className="text-red-700">{members.error.message}</p>}
        <datalist id={teamListId}>
          {teams.data?.map((team) => (
            <option key={team.id} value={team.id} />
          ))}
        </datalist>
        <ul className="space-y-3">
          {members.data?.data.map((member) => (
            <MemberCard
              key={member.userId}
              member={member}
              roles={roles}
              isMe={member.userId === myId}
              teamListId={teamListId}
            />
          ))}
        </ul>
      </section>

      <InvitationsSection roles={roles} />

      <section
        aria-labelledby="teams-heading"
        className="space-y-3 rounded-md border border-slate-200 bg-white p-4"
      >
        <h2 id="teams-heading" className="text-lg font-medium">
          Teams
        </h2>
        <p className="text-sm text-slate-600">
          A team exists once a member is in it: name a new one when adding a member to it. Share a Page with a
          team on the Pages screen, and only its members (and the admins) see it.
        </p>
        {teams.data?.length === 0 && <p className="text-sm text-slate-600">No team yet.</p>}
        <ul aria-label="Teams" className="space-y-1 text-sm">
          {teams.data?.map((team) => (
            <li key={team.id}>
              <span className="font-medium">{team.id}</span>: {team.memberCount}{' '}
              {team.memberCount === 1 ? 'member' : 'members'}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
