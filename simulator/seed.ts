import { z } from 'zod';
import { xUserSeedSchema } from './x/seed';

export const ALL_PAGE_PERMISSIONS = [
  'pages_messaging',
  'pages_show_list',
  'pages_manage_metadata',
  'pages_read_engagement',
  'pages_read_user_content',
  'pages_manage_engagement',
  'pages_manage_posts',
];

export const DEFAULT_TASKS = ['ANALYZE', 'ADVERTISE', 'MESSAGING', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'];

export const pageSeedSchema = z.object({
  id: z.string().regex(/^\d+$/),
  name: z.string().min(1),
  category: z.string().default('Shopping & Retail'),
  accessToken: z.string().min(1).optional(),
  tasks: z.array(z.string()).optional(),
  /** Fields the app is already subscribed to on this Page; absent = app not installed. */
  subscribedFields: z.array(z.string()).optional(),
  adminUserIds: z.array(z.string()).default([]),
  fanCount: z.number().int().nonnegative().optional(),
});

export const userSeedSchema = z.object({
  id: z.string().regex(/^\d+$/),
  name: z.string().min(1),
  email: z.string().email(),
  grantedPermissions: z.array(z.string()).optional(),
  /** A token issued up front so scripts can skip the login dialog. */
  accessToken: z.string().min(1).optional(),
});

export const personSeedSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1).optional(),
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  profilePic: z.string().url().optional(),
});

export const adAccountSeedSchema = z.object({
  /** The number after `act_`. */
  id: z.string().regex(/^\d+$/),
  name: z.string().min(1),
  currency: z.string().length(3).default('USD'),
  /** Users who may manage its ads (with ads_management granted). */
  userIds: z.array(z.string()).default([]),
});

export const seedSchema = z.object({
  appId: z.string().optional(),
  appSecret: z.string().optional(),
  pages: z.array(pageSeedSchema).default([]),
  users: z.array(userSeedSchema).default([]),
  people: z.array(personSeedSchema).default([]),
  adAccounts: z.array(adAccountSeedSchema).default([]),
  /** X accounts (simulator/x/), for `npm run simulator`; tests pass `x.users` to startSimulator. */
  xUsers: z.array(xUserSeedSchema).default([]),
});

export type PageSeed = z.input<typeof pageSeedSchema>;
export type UserSeed = z.input<typeof userSeedSchema>;
export type PersonSeed = z.input<typeof personSeedSchema>;
export type AdAccountSeed = z.input<typeof adAccountSeedSchema>;
export type Seed = z.input<typeof seedSchema>;
