/** What each role may do, in plain words; a role the server adds later still shows, by its name. */
const roleWords: Record<string, string> = {
  admin: 'connects Pages, runs the team and sees every Page',
  agent: 'answers conversations on the Pages shared with them',
};

export const roleName = (role: string) => role.charAt(0).toUpperCase() + role.slice(1);

export const roleMeaning = (role: string): string | undefined => roleWords[role];
