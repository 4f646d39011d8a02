import type { JobDefinition } from '../jobs/job-registry';
import type { PhoneInviteService } from './service';

export const sendPhoneInvitesJobName = 'phone-invites:send';

/** Sends the queued phone invitations; run after each upload and every few minutes for what a restart left queued. */
export function sendPhoneInvitesJob(service: Pick<PhoneInviteService, 'sendQueued'>): JobDefinition<unknown> {
  return {
    name: sendPhoneInvitesJobName,
    // Sends are paced at the Page's broadcast rate; a large upload takes minutes. Claims keep a second run harmless.
    lockLifetimeMs: 15 * 60_000,
    concurrency: 1,
    handle: async () => {
      await service.sendQueued();
    },
  };
}
