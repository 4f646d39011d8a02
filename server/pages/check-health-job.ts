import type { Agenda } from 'agenda';
import { PageModel } from '../../models/page';
import { permissionsAPageNeeds } from '../accounts/permissions';
import type { GraphClient } from '../facebook/graph-client';
import { isGraphError } from '../facebook/graph-outcomes';
import type { JobDefinition } from '../jobs/job-registry';
import type { PageAccess } from './page-access';
import type { PageHealth } from './page-health';
import { subscribedFields } from './subscribed-fields';

export const checkHealthJobName = 'pages:check-health';
const actor = { kind: 'job', id: checkHealthJobName } as const;

export interface CheckHealthDeps {
  graph: GraphClient;
  appId: string;
  access: PageAccess;
  health: PageHealth;
}

/**
 * Checks one Page's connection: the token is valid, it still carries the permissions a Page needs, and our app is
 * still subscribed to its webhooks (re-subscribing if Meta dropped it). Running it twice changes nothing more.
 */
export async function checkPageHealth({ graph, appId, access, health }: CheckHealthDeps, pageId: string) {
  const page = await PageModel.findOne({ _id: pageId, connected: true }).lean();
  if (!page) return;
  const credentials = await access.getSendCredentials(page.workspace.toString(), pageId);
  const token = await graph.debugToken(credentials.accessToken);
  if (!token.isValid) {
    const reason = 'Facebook no longer accepts this Page’s access token. A Page admin needs to reconnect it.';
    await health.changeHealth(pageId, {
      status: 'needs_reauth',
      reason,
      basis: 'debug_token: not valid',
      actor,
    });
    return;
  }
  const missing = permissionsAPageNeeds.filter((permission) => !token.scopes.includes(permission));
  if (missing.length > 0) {
    const reason = `The Page no longer grants ${missing.join(', ')}. A Page admin needs to reconnect it.`;
    await health.changeHealth(pageId, {
      status: 'permission_missing',
      reason,
      basis: 'debug_token scopes',
      actor,
    });
    return;
  }
  const apps = await graph.getSubscribedApps(credentials);
  const ours = apps.find((app) => app.id === appId);
  if (!ours || subscribedFields.some((field) => !ours.subscribedFields.includes(field))) {
    await graph.subscribeApp(credentials, [...subscribedFields]);
  }
  await health.changeHealth(pageId, { status: 'ok', basis: 'the health check passed', actor });
}

export function checkHealthJob(deps: CheckHealthDeps): JobDefinition<{ pageId: string }> {
  return {
    name: checkHealthJobName,
    // A check is three Graph calls; a minute covers their timeouts and retries with room to spare.
    lockLifetimeMs: 60_000,
    async handle({ pageId }) {
      try {
        await checkPageHealth(deps, pageId);
      } catch (error) {
        // Token and permission errors already flipped the Page through onAuthProblem; anything else is retried next run.
        if (isGraphError(error, 'token_invalid') || isGraphError(error, 'permission_missing')) return;
        throw error;
      }
    },
  };
}

/** One repeating check per Page, keyed by its id so connecting twice never schedules two. */
export async function scheduleHealthChecks(agenda: Agenda, pageId: string, everyMs: number): Promise<void> {
  await agenda
    .create(checkHealthJobName, { pageId })
    .unique({ name: checkHealthJobName, 'data.pageId': pageId })
    .repeatEvery(everyMs, { skipImmediate: true })
    .save();
}

export async function cancelHealthChecks(agenda: Agenda, pageId: string): Promise<void> {
  await agenda.cancel({ name: checkHealthJobName, data: { pageId } });
}
