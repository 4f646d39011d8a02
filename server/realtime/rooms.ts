/** Room names in one place; only the server puts sockets in rooms. */
export const rooms = {
  workspace: (workspaceId: string) => `workspace:${workspaceId}`,
  admins: (workspaceId: string) => `workspace:${workspaceId}:admins`,
  /** The admins and marketers: who follows broadcasts. */
  marketing: (workspaceId: string) => `workspace:${workspaceId}:marketing`,
  page: (pageId: string) => `page:${pageId}`,
  /** The members of a Page's room who may run automation (admins, marketers): capture outcomes go here. */
  automation: (pageId: string) => `page:${pageId}:automation`,
  /** Every socket of one user, to recompute their rooms after a membership or sharing change. */
  user: (userId: string) => `user:${userId}`,
  /** Every socket of one login session, to close them on logout. */
  session: (sessionId: string) => `session:${sessionId}`,
};

export const pageRoomPrefix = 'page:';
