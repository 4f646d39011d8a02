import { z } from 'zod';
import type { Member } from '../../server/accounts/authorization';
import type { GraphClient } from '../../server/facebook/graph-client';
import { isGraphError } from '../../server/facebook/graph-outcomes';
import type { MessengerProfile } from '../../server/facebook/graph-types';
import type { PageAccess } from '../../server/pages/page-access';
import type { Clock } from '../../server/platform/clock';
import { DomainError } from '../../server/platform/errors';
import { visiblePage } from '../page-scope';

/** Messenger Profile limits (MESSENGER-PLATFORM.md §5): greeting ≤ 160, menu ≤ 20 items (title ≤ 30), ≤ 4 ice breakers. */
const payload = z.string().min(1).max(1000);
const menuItem = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('postback'), title: z.string().min(1).max(30), payload }),
  z.strictObject({
    type: z.literal('web_url'),
    title: z.string().min(1).max(30),
    url: z.url({ protocol: /^https?$/ }),
  }),
]);
export const messengerProfileInput = z
  .strictObject({
    getStartedPayload: payload.optional(),
    greeting: z.string().trim().min(1).max(160).optional(),
    persistentMenu: z.array(menuItem).min(1).max(20).optional(),
    iceBreakers: z
      .array(z.strictObject({ question: z.string().min(1).max(80), payload }))
      .min(1)
      .max(4)
      .optional(),
  })
  .refine((input) => Object.keys(input).length > 0, { message: 'Give at least one setting to change.' });
export type MessengerProfileInput = z.infer<typeof messengerProfileInput>;

/** Meta allows 10 Messenger Profile calls per 10 minutes per Page; we refuse before Meta has to. */
export class ProfileBudgetSpent extends DomainError {
  readonly status = 429;
  readonly type = 'rate-limited';
}

const BUDGET_CALLS = 10;
const BUDGET_WINDOW_MS = 10 * 60 * 1000;

export function toMessengerProfile(input: MessengerProfileInput): MessengerProfile {
  return {
    ...(input.getStartedPayload ? { get_started: { payload: input.getStartedPayload } } : {}),
    ...(input.greeting ? { greeting: [{ locale: 'default', text: input.greeting }] } : {}),
    ...(input.persistentMenu
      ? {
          persistent_menu: [
            { locale: 'default', composer_input_disabled: false, call_to_actions: input.persistentMenu },
          ],
        }
      : {}),
    ...(input.iceBreakers
      ? { ice_breakers: [{ locale: 'default', call_to_actions: input.iceBreakers }] }
      : {}),
  };
}

/** Sets every given field in one call (one of the ten), counting calls per Page in this process. */
export function createMessengerProfileService(deps: {
  graph: Pick<GraphClient, 'setMessengerProfile'>;
  pageAccess: Pick<PageAccess, 'getSendCredentials'>;
  clock: Clock;
}) {
  const callsByPage = new Map<string, number[]>();

  function spendBudget(fbPageId: string): void {
    const now = deps.clock.now().getTime();
    const recent = (callsByPage.get(fbPageId) ?? []).filter((at) => now - at < BUDGET_WINDOW_MS);
    const oldest = recent[0];
    if (recent.length >= BUDGET_CALLS && oldest !== undefined) {
      const retryAt = new Date(oldest + BUDGET_WINDOW_MS);
      throw new ProfileBudgetSpent(
        `Facebook allows 10 Messenger Profile changes per 10 minutes per Page; try again after ${retryAt.toISOString()}.`,
        { retryAt: retryAt.toISOString() },
      );
    }
    callsByPage.set(fbPageId, [...recent, now]);
  }

  return {
    async update(member: Member, pageId: string, input: MessengerProfileInput): Promise<MessengerProfile> {
      const page = await visiblePage(member, pageId);
      spendBudget(page.fbPageId);
      const credentials = await deps.pageAccess.getSendCredentials(member.workspaceId, pageId);
      const profile = toMessengerProfile(input);
      try {
        await deps.graph.setMessengerProfile(credentials, profile);
      } catch (error) {
        if (isGraphError(error, 'rate_limited')) {
          throw new ProfileBudgetSpent('Facebook refused: too many Messenger Profile changes for this Page.');
        }
        throw error;
      }
      return profile;
    },
  };
}
