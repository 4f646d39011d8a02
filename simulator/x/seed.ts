import { z } from 'zod';

/** An X account the simulator knows; `followersCount` is what `public_metrics` reports. */
export const xUserSeedSchema = z.strictObject({
  id: z.string().regex(/^\d+$/),
  username: z.string().regex(/^\w{1,15}$/),
  name: z.string().min(1),
  followersCount: z.number().int().nonnegative().optional(),
  followingCount: z.number().int().nonnegative().optional(),
});
