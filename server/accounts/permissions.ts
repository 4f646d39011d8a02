import type { Config } from '../config';

/**
 * Every Facebook permission Pagewire asks for, why, and which feature needs it. Login requests exactly this list and
 * GET /api/permissions serves it: one list, so they cannot disagree. Meta lets unused permissions lapse after 90
 * days, so nothing here is asked for "just in case": a feature behind a flag adds its permission only when it is on.
 */
export interface RequestedPermission {
  name: string;
  reason: string;
  feature: string;
}

const alwaysRequested: readonly RequestedPermission[] = [
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

const sponsoredMessagesPermission: RequestedPermission = {
  name: 'ads_management',
  reason:
    'To create, pause and read the results of the sponsored messages you pay for, in an ad account you manage.',
  feature: 'Sponsored broadcasts',
};

const phoneInvitesPermission: RequestedPermission = {
  name: 'pages_messaging_phone_number',
  reason:
    'To send one invitation to each phone number you upload, for people who agreed to hear from you (a US-only beta of Meta).',
  feature: 'Phone invitations',
};

export type PermissionFeatures = Pick<Config, 'FEATURE_SPONSORED_MESSAGES' | 'FEATURE_PHONE_INVITES'>;

/** The permissions this deployment asks for, with its features switched on or off. */
export function requestedPermissions(features: PermissionFeatures): readonly RequestedPermission[] {
  return [
    ...alwaysRequested,
    ...(features.FEATURE_SPONSORED_MESSAGES ? [sponsoredMessagesPermission] : []),
    ...(features.FEATURE_PHONE_INVITES ? [phoneInvitesPermission] : []),
  ];
}

/** The `scope` of the login dialog. */
export function loginScope(features: PermissionFeatures): readonly string[] {
  return requestedPermissions(features).map((permission) => permission.name);
}

/** Without these a connected Page cannot receive or answer messages at all; the health check insists on them. */
export const permissionsAPageNeeds: readonly string[] = ['pages_messaging', 'pages_manage_metadata'];
