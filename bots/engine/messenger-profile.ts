import { z } from 'zod';
import type { Member } from '../../server/accounts/authorization';
import type { GraphClient } from '../../server/facebook/graph-client';
import { isGraphError } from '../../server/facebook/graph-outcomes';
import type { MessengerProfile, PageCredentials } from '../../server/facebook/graph-types';
import type { PageAccess } from '../../server/pages/page-access';
import type { Clock } from '../../server/platform/clock';
import { BadRequest } from '../../server/platform/errors';
import { characterCount, characters, type FieldCount } from '../../server/messaging/message-content';
import { visiblePage } from '../page-scope';
import type { BotDeps } from './bot-deps';
import { ProfileBudgetSpent, profileBudget, spendProfileCall, type ProfileBudget } from './profile-budget';

/** Messenger Profile limits (docs/messenger-platform.md §5): greeting ≤ 160, menu ≤ 20 items (title ≤ 30), ≤ 4 ice breakers. */
const greetingLimit = 160;
const payload = characters(1000, 'A payload');
const menuTitle = characters(30, 'A menu item title');
const menuItem = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('postback'), title: menuTitle, payload }),
  z.strictObject({ type: z.literal('web_url'), title: menuTitle, url: z.url({ protocol: /^https?$/ }) }),
]);
export const messengerProfileInput = z
  .strictObject({
    /** Optional and only ever BOT_GET_STARTED_PAYLOAD: Get Started is set with it on every call regardless. */
    getStartedPayload: payload.optional(),
    greeting: z.string().trim().pipe(characters(greetingLimit, 'The greeting')).optional(),
    persistentMenu: z.array(menuItem).min(1).max(20).optional(),
    iceBreakers: z
      .array(z.strictObject({ question: characters(80, 'An ice breaker question'), payload }))
      .min(1)
      .max(4)
      .optional(),
  })
  .refine((input) => Object.keys(input).length > 0, { message: 'Give at least one setting to change.' });
export type MessengerProfileInput = z.infer<typeof messengerProfileInput>;

/** A greeting being typed: anything up to a size worth counting. */
export const greetingDraft = z.strictObject({ greeting: z.string().max(20_000) });

/** The greeting as the save will count it (trimmed, in Meta's characters), and what the save would refuse. */
export function checkGreeting({ greeting }: z.infer<typeof greetingDraft>): {
  counts: FieldCount[];
  issues: { path: string; message: string }[];
} {
  const parsed = messengerProfileInput.safeParse({ greeting });
  return {
    counts: [{ path: 'greeting', count: characterCount(greeting.trim()), max: greetingLimit }],
    issues:
      parsed.success || greeting.trim() === ''
        ? []
        : parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  };
}

/**
 * The profile fields to set. Get Started is set on every call, always with the payload the bot answers
 * (`BOT_GET_STARTED_PAYLOAD`): any other payload would silence the welcome rule, and Meta refuses a persistent menu on
 * a Page without a Get Started button.
 */
export function toMessengerProfile(
  input: MessengerProfileInput,
  getStartedPayload: string,
): MessengerProfile {
  return {
    get_started: { payload: getStartedPayload },
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

/** A Page's profile as the dashboard edits it: the `default` locale of each setting Meta holds. */
export interface MessengerProfileSettings {
  getStartedPayload: string | null;
  greeting: string | null;
  persistentMenu: NonNullable<MessengerProfileInput['persistentMenu']>;
  iceBreakers: NonNullable<MessengerProfileInput['iceBreakers']>;
}

type MenuItem = MessengerProfileSettings['persistentMenu'][number];

const defaultLocale = <T extends { locale?: string }>(entries: T[] | undefined): T | undefined =>
  entries?.find((entry) => entry.locale === 'default') ?? entries?.[0];

export function fromMessengerProfile(profile: MessengerProfile): MessengerProfileSettings {
  const menu = defaultLocale(profile.persistent_menu)?.call_to_actions ?? [];
  return {
    getStartedPayload: profile.get_started?.payload ?? null,
    greeting: defaultLocale(profile.greeting)?.text ?? null,
    // Meta may hold items Pagewire never sets (nested menus of older Pages); the dashboard shows the two it sets.
    persistentMenu: menu.flatMap<MenuItem>((item) => {
      if (item.type === 'postback') return [{ type: 'postback', title: item.title, payload: item.payload }];
      if (item.type === 'web_url') return [{ type: 'web_url', title: item.title, url: item.url }];
      return [];
    }),
    iceBreakers: (defaultLocale(profile.ice_breakers)?.call_to_actions ?? []).map(
      ({ question, payload }) => ({
        question,
        payload,
      }),
    ),
  };
}

const profileFields = ['get_started', 'greeting', 'persistent_menu', 'ice_breakers'] as const;

/**
 * Reads and sets a Page's Messenger Profile. Every call, a read included (Meta counts those too), is one of the
 * Page's ten per 10 minutes, counted in the database; each answer says what is left.
 */
export function createMessengerProfileService(deps: {
  graph: Pick<GraphClient, 'getMessengerProfile' | 'setMessengerProfile'>;
  pageAccess: Pick<PageAccess, 'getSendCredentials'>;
  clock: Clock;
  settings: Pick<BotDeps['settings'], 'getStartedPayload'>;
}) {
  const { getStartedPayload } = deps.settings;

  /** Spends a call of the budget, then makes it; Meta refusing for its own limit is the same 429. */
  async function spendAndCall<T>(
    member: Member,
    pageId: string,
    call: (credentials: PageCredentials) => Promise<T>,
  ): Promise<{ answer: T; budget: ProfileBudget }> {
    const page = await visiblePage(member, pageId);
    await spendProfileCall(page.fbPageId, deps.clock.now());
    const credentials = await deps.pageAccess.getSendCredentials(member.workspaceId, pageId);
    try {
      const answer = await call(credentials);
      return { answer, budget: await profileBudget(page.fbPageId, deps.clock.now()) };
    } catch (error) {
      if (isGraphError(error, 'rate_limited')) {
        throw new ProfileBudgetSpent('Facebook refused: too many Messenger Profile changes for this Page.');
      }
      throw error;
    }
  }

  return {
    async read(member: Member, pageId: string) {
      const { answer, budget } = await spendAndCall(member, pageId, (credentials) =>
        deps.graph.getMessengerProfile(credentials, [...profileFields]),
      );
      return { data: fromMessengerProfile(answer), budget };
    },

    async update(member: Member, pageId: string, input: MessengerProfileInput) {
      if (input.getStartedPayload !== undefined && input.getStartedPayload !== getStartedPayload) {
        throw new BadRequest(
          `The bot answers Get Started with the payload "${getStartedPayload}" (BOT_GET_STARTED_PAYLOAD); ` +
            "the Page's Get Started button must send that one, so leave getStartedPayload out or give it.",
          { field: 'getStartedPayload', expected: getStartedPayload },
        );
      }
      const profile = toMessengerProfile(input, getStartedPayload);
      const { budget } = await spendAndCall(member, pageId, (credentials) =>
        deps.graph.setMessengerProfile(credentials, profile),
      );
      return { data: fromMessengerProfile(profile), budget };
    },
  };
}
