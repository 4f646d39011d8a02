import { z } from 'zod';
import { automationPauseReasons, type Page } from '../../models/page';
import { isoInstant } from '../platform/openapi/api-operation';
import { automationPausesOf, type AutomationPause } from './automation-pause';

/** A Page as the API shows it: never the token, always the m.me link people can be invited with. */
export interface PageView {
  id: string;
  fbPageId: string;
  name: string;
  category?: string | null;
  subscriberCount: number;
  mMeLink: string;
  health: { status: string; reason?: string | null; at?: Date | null };
  /** True while any of `automationPauses` is present: bots, captures and broadcasts do not send. */
  automatedSendsPaused: boolean;
  automationPauses: AutomationPause[];
  sharing: { scope: string; teamId?: string | null; ownerId?: string | null };
  subscription: { subscribed: boolean; fields: string[]; at?: Date | null };
  connected: boolean;
  connectedAt: Date;
  disconnectedAt?: Date | null;
}

export type StoredPage = Omit<Page, 'accessToken'> & { _id: { toString(): string } };

/** `subscriberCount`: the people subscribed to the Page now (see subscriber-counts.ts). */
export function toPageView(page: StoredPage, subscriberCount: number): PageView {
  const { health, sharing, subscription } = page;
  const automationPauses = automationPausesOf(page);
  return {
    id: page._id.toString(),
    fbPageId: page.fbPageId,
    name: page.name,
    category: page.category,
    subscriberCount,
    mMeLink: `https://m.me/${page.fbPageId}`,
    health: { status: health?.status ?? 'ok', reason: health?.reason, at: health?.at },
    automatedSendsPaused: automationPauses.length > 0,
    automationPauses,
    sharing: {
      scope: sharing?.scope ?? 'workspace',
      teamId: sharing?.teamId,
      ownerId: sharing?.ownerId?.toString() ?? null,
    },
    subscription: {
      subscribed: subscription?.subscribed ?? false,
      fields: subscription?.fields ?? [],
      at: subscription?.at,
    },
    connected: page.connected,
    connectedAt: page.connectedAt,
    disconnectedAt: page.disconnectedAt,
  };
}

/** `PageView` as JSON carries it, for the OpenAPI document. */
export const pageViewSchema = z.object({
  id: z.string(),
  fbPageId: z.string(),
  name: z.string(),
  category: z.string().nullish(),
  subscriberCount: z.number().int(),
  mMeLink: z.url(),
  health: z.object({ status: z.string(), reason: z.string().nullish(), at: isoInstant.nullish() }),
  automatedSendsPaused: z.boolean(),
  automationPauses: z.array(
    z.object({ reason: z.enum(automationPauseReasons), since: isoInstant, detail: z.string().nullish() }),
  ),
  sharing: z.object({ scope: z.string(), teamId: z.string().nullish(), ownerId: z.string().nullish() }),
  subscription: z.object({ subscribed: z.boolean(), fields: z.array(z.string()), at: isoInstant.nullish() }),
  connected: z.boolean(),
  connectedAt: isoInstant,
  disconnectedAt: isoInstant.nullish(),
});
