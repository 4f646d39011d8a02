import { z } from 'zod';
import { broadcastStates } from '../../models/broadcast';
import { broadcastTotals } from '../broadcasts/answers';
import { isoInstant } from '../platform/openapi/api-operation';

/** What the Overview's routes answer, for the OpenAPI document and the tests that hold the answers to it. */

const day = z.iso.date();

export const activityAnswer = z.object({
  days: z.array(
    z.object({ day, conversations: z.number().int(), received: z.number().int(), sent: z.number().int() }),
  ),
});

export const firstResponseAnswer = z.object({
  days: z.array(z.object({ day, medianSeconds: z.number().nullable(), responses: z.number().int() })),
  medianSeconds: z.number().nullable(),
  responses: z.number().int(),
});

export const subscriberChangesAnswer = z.object({
  days: z.array(z.object({ day, gained: z.number().int(), lost: z.number().int() })),
  gained: z.number().int(),
  lost: z.number().int(),
});

export const waitingAnswer = z.object({
  conversations: z.array(
    z.object({
      id: z.string(),
      pageId: z.string(),
      subscriberName: z.string(),
      lastMessageAt: isoInstant,
      preview: z.string(),
      assigneeId: z.string().nullable(),
    }),
  ),
});

export const runningBroadcastsAnswer = z.object({
  broadcasts: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      state: z.enum(broadcastStates),
      pageIds: z.array(z.string()),
      startedAt: isoInstant.nullable(),
      totals: broadcastTotals,
    }),
  ),
});
