import { useTeams } from '../api/session';

/** Who a Page or a connection is shared with, as the server stores it. */
export interface Sharing {
  scope: 'workspace' | 'team' | 'private';
  teamId?: string | null;
}

/** A sharing select's values: the scope, and for a team its id (`team:support`); `team:` is a team not chosen yet. */
export const sharingValue = (sharing: Sharing) =>
  sharing.scope === 'team' ? `team:${sharing.teamId ?? ''}` : sharing.scope;

export function sharingOf(value: string): { scope: Sharing['scope']; teamId?: string } {
  if (!value.startsWith('team:')) return { scope: value as Sharing['scope'] };
  return { scope: 'team', teamId: value.slice('team:'.length) };
}

const teamLabel = (teamId: string, members: number | undefined) =>
  members === undefined
    ? `Team ${teamId}`
    : `Team ${teamId} (${members} ${members === 1 ? 'member' : 'members'})`;

/** The options of a sharing select: the whole workspace, each team (and `current`'s, after its last member left), only me. */
export function SharingOptions({ currentTeamId }: { currentTeamId?: string | null }) {
  const teams = useTeams();
  const teamIds = [...new Set([...(teams.data ?? []).map((team) => team.id), currentTeamId ?? ''])]
    .filter(Boolean)
    .sort();
  const sizes = new Map(teams.data?.map((team) => [team.id, team.memberCount]));
  return (
    <>
      <option value="workspace">Whole workspace</option>
      {teamIds.length === 0 && <option value="team:">One team…</option>}
      {teamIds.length > 0 && (
        <optgroup label="One team">
          {teamIds.map((teamId) => (
            <option key={teamId} value={`team:${teamId}`}>
              {teamLabel(teamId, sizes.get(teamId))}
            </option>
          ))}
        </optgroup>
      )}
      <option value="private">Only me</option>
    </>
  );
}
