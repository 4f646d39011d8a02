/**
 * Every Facebook permission Pagewire asks for, why, and which feature needs it. Login requests exactly this list,
 * GET /api/permissions serves it, and docs/permissions.md renders it: one list, so they cannot disagree.
 * Meta lets unused permissions lapse after 90 days, so nothing here is asked for "just in case".
 */
export interface RequestedPermission {
  name: string;
  reason: string;
  feature: string;
}

export const requestedPermissions: readonly RequestedPermission[] = [
  {
    name: 'public_profile',
    reason: 'Your name and Facebook id, so we know who you are when you log in.',
    feature: 'Login',
  },
  {
    name: 'email',
    reason: 'Your email address, to show who is in your workspace and who invited whom.',
    feature: 'Login',
  },
  {
    name: 'pages_show_list',
    reason: 'The list of Pages you manage, so you can pick the ones to connect.',
    feature: 'Connect Pages',
  },
  {
    name: 'pages_manage_metadata',
    reason:
      'To subscribe Pagewire to your Page’s messages and comments (webhooks), and to stop when you disconnect.',
    feature: 'Connect Pages',
  },
  {
    name: 'pages_messaging',
    reason: 'To send messages as your Page: agent replies, bot answers, private replies and broadcasts.',
    feature: 'Live chat, bots and broadcasts',
  },
  {
    name: 'pages_read_engagement',
    reason:
      'To read your Page’s posts and their engagement, so comment capture knows which post a comment is on.',
    feature: 'Comment capture',
  },
  {
    name: 'pages_read_user_content',
    reason: 'To read the comments people leave on your Page’s posts, which comment capture replies to.',
    feature: 'Comment capture',
  },
  {
    name: 'pages_manage_engagement',
    reason: 'To reply publicly under a comment (and hide one) when a capture rule says so.',
    feature: 'Comment capture',
  },
  {
    name: 'pages_manage_posts',
    reason:
      'To publish the posts that comment capture campaigns are built around, and the new items of the feeds you autopost to your Page.',
    feature: 'Comment capture, autoposting',
  },
];

/** The `scope` of the login dialog. */
export const loginScope: readonly string[] = requestedPermissions.map((permission) => permission.name);

/** Without these a connected Page cannot receive or answer messages at all; the health check insists on them. */
export const permissionsAPageNeeds: readonly string[] = ['pages_messaging', 'pages_manage_metadata'];
