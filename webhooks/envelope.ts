import { z } from 'zod';

/**
 * Meta's webhook envelope. Only the fields we route on are required; everything else passes through untouched,
 * because Meta adds fields without notice and an unknown field must not lose an event.
 */
const participant = z.looseObject({ id: z.string().optional(), user_ref: z.string().optional() });

export const messagingItemSchema = z.looseObject({
  sender: participant.optional(),
  recipient: participant.optional(),
  timestamp: z.number().optional(),
});

export const changeItemSchema = z.looseObject({
  field: z.string(),
  value: z.looseObject({}),
});

const entrySchema = z.looseObject({
  id: z.string(),
  time: z.number().optional(),
  messaging: z.array(messagingItemSchema).optional(),
  standby: z.array(messagingItemSchema).optional(),
  changes: z.array(changeItemSchema).optional(),
});

export const envelopeSchema = z.looseObject({
  object: z.string(),
  entry: z.array(entrySchema),
});

export type Envelope = z.infer<typeof envelopeSchema>;
export type MessagingItem = z.infer<typeof messagingItemSchema>;
export type ChangeItem = z.infer<typeof changeItemSchema>;
