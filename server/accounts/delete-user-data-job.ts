import type { Agenda } from 'agenda';
import { DataDeletionRequestModel } from '../../models/data-deletion-request';
import type { JobDefinition } from '../jobs/job-registry';
import type { Logger } from '../platform/logger';
import { retryDelayMs } from '../platform/retry-delay';
import type { MetaCallbacks } from './meta-callbacks';

export const deleteUserDataJobName = 'accounts:delete-user-data';

export interface DeleteUserDataData {
  requestId: string;
}

export interface DeleteUserDataDeps {
  callbacks: Pick<MetaCallbacks, 'deleteUserData'>;
  agenda(): Agenda;
  logger: Logger;
  policy: { maxAttempts: number; retryBaseMs: number };
}

const maxRetryDelayMs = 3_600_000;

/**
 * `accounts:delete-user-data`: one attempt at a data deletion Meta asked for; a failed one is tried again later, up to
 * DATA_DELETION_MAX_ATTEMPTS, then the request is left failed and the operators told in the log.
 */
export function deleteUserDataJob(deps: DeleteUserDataDeps): JobDefinition<DeleteUserDataData> {
  return {
    name: deleteUserDataJobName,
    // A deletion is a few dozen writes; five minutes is ample, and a second run is harmless.
    lockLifetimeMs: 5 * 60_000,
    async handle({ requestId }) {
      try {
        await deps.callbacks.deleteUserData(requestId);
      } catch (error) {
        await noteFailedAttempt(deps, requestId, error);
      }
    },
  };
}

async function noteFailedAttempt(deps: DeleteUserDataDeps, requestId: string, error: unknown) {
  const request = await DataDeletionRequestModel.findOneAndUpdate(
    { _id: requestId, status: 'pending' },
    { $inc: { attempts: 1 }, $set: { lastError: error instanceof Error ? error.message : String(error) } },
    { returnDocument: 'after' },
  ).lean();
  if (!request) return;
  if (request.attempts < deps.policy.maxAttempts) {
    const delayMs = retryDelayMs(request.attempts, deps.policy.retryBaseMs, maxRetryDelayMs);
    await deps.agenda().schedule(new Date(Date.now() + delayMs), deleteUserDataJobName, { requestId });
    deps.logger.warn({ err: error, requestId, attempts: request.attempts }, 'a data deletion attempt failed');
    return;
  }
  await DataDeletionRequestModel.updateOne(
    { _id: requestId, status: 'pending' },
    { $set: { status: 'failed' } },
  );
  deps.logger.error(
    { err: error, requestId, attempts: request.attempts },
    'a data deletion request failed at every attempt: the person’s data is still held, finish it by hand',
  );
}
