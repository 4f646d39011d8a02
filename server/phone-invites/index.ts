import type { Agenda } from 'agenda';
import type { Router } from 'express';
import type { AuditTrail } from '../accounts/audit';
import type { MessengerGateway } from '../facebook/messenger-gateway';
import type { JobDefinition } from '../jobs/job-registry';
import type { PageAccess } from '../pages/page-access';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { createPhoneInvitesRouter } from './routes';
import { sendPhoneInvitesJob, sendPhoneInvitesJobName } from './send-job';
import { createPhoneInviteService, type PhoneInviteService } from './service';

export interface PhoneInvitesFeature {
  routers: { path: string; router: Router }[];
  jobs: JobDefinition<never>[];
  service: PhoneInviteService;
  start(): Promise<void>;
}

/**
 * Invitations by phone number (FEATURE_PHONE_INVITES): numbers uploaded with the uploader's attestation of consent,
 * each sent one invitation ever through the Send API's phone-number recipient (docs/meta-marketing-and-phone.md §2).
 */
export function createPhoneInvitesFeature(deps: {
  messenger: MessengerGateway;
  pageAccess: PageAccess;
  audit: AuditTrail;
  clock: Clock;
  logger: Logger;
  agenda(): Agenda;
}): PhoneInvitesFeature {
  const service = createPhoneInviteService({
    ...deps,
    logger: deps.logger.child({ component: 'phone-invites' }),
    sendSoon: async () => {
      await deps.agenda().now(sendPhoneInvitesJobName, {});
    },
  });
  return {
    routers: [{ path: '/api/phone-invites', router: createPhoneInvitesRouter(service) }],
    jobs: [sendPhoneInvitesJob(service) as JobDefinition<never>],
    service,
    async start() {
      await deps.agenda().every('5 minutes', sendPhoneInvitesJobName);
    },
  };
}
