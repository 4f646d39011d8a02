import { z } from 'zod';

/**
 * What a signed POST must be for us to read it at all; anything else is answered 400. Its entries and items are
 * then read one by one (page-events.ts), so an item we cannot read is dropped alone and the rest is stored.
 */
export const envelopeSchema = z.looseObject({ object: z.string(), entry: z.array(z.unknown()) });

/**
 * Each schema below names the fields the handlers read, with the types they read them as. Unknown fields pass
 * untouched, because Meta adds fields without notice; `unstorableReason` bounds what they may hold.
 * The bounds sit well above anything Meta sends (MESSENGER-PLATFORM.md): they only keep out what is not an event.
 */
const id = z.string().min(1).max(256);
const word = z.string().max(256);
/** Payloads, titles, metadata and refs: Meta caps them at 1,000 characters. */
const shortText = z.string().max(2_000);
/** Message and comment texts: Messenger caps a message at 20,000 characters, a Page post at 63,206. */
const longText = z.string().max(65_536);
/** Any date up to 9999-12-31, in epoch milliseconds (messaging) or seconds (feed). */
export const maxEpochMs = 253_402_300_799_999;
export const maxEpochSeconds = Math.floor(maxEpochMs / 1000);
const epochMs = z.number().min(0).max(maxEpochMs);
const epochSeconds = z.number().min(0).max(maxEpochSeconds);

const participant = z.looseObject({ id: id.optional(), user_ref: id.optional() });

const attachment = z.looseObject({
  type: word,
  // `fallback` attachments carry `payload: null`.
  payload: z.looseObject({ url: longText.optional() }).nullable().optional(),
});

const message = z.looseObject({
  mid: id,
  text: longText.optional(),
  is_echo: z.boolean().optional(),
  app_id: z.union([z.number(), id]).optional(),
  metadata: shortText.optional(),
  quick_reply: z.looseObject({ payload: shortText }).optional(),
  attachments: z.array(attachment).max(100).optional(),
});

const referral = z.looseObject({ ref: shortText.optional(), source: word.optional(), type: word.optional() });

export const messagingItemSchema = z.looseObject({
  sender: participant.optional(),
  recipient: participant.optional(),
  timestamp: epochMs.optional(),
  message: message.optional(),
  postback: z
    .looseObject({
      mid: id.optional(),
      title: shortText.optional(),
      payload: shortText.optional(),
      referral: referral.optional(),
    })
    .optional(),
  reaction: z
    .looseObject({
      mid: id.optional(),
      reaction: word.optional(),
      emoji: word.optional(),
      action: word.optional(),
    })
    .optional(),
  delivery: z.looseObject({ watermark: epochMs, mids: z.array(id).optional() }).optional(),
  read: z.looseObject({ watermark: epochMs }).optional(),
  optin: z
    .looseObject({
      ref: shortText.optional(),
      payload: shortText.optional(),
      notification_messages_status: word.optional(),
    })
    .optional(),
  referral: referral.optional(),
  policy_enforcement: z.looseObject({ action: word, reason: longText.optional() }).optional(),
});

/** A feed change's `value`, which is what a feed event stores. */
export const feedValueSchema = z.looseObject({
  item: word,
  verb: word,
  comment_id: id.optional(),
  post_id: id.optional(),
  parent_id: id.optional(),
  from: z.looseObject({ id, name: shortText.optional() }).optional(),
  message: longText.optional(),
  created_time: epochSeconds.optional(),
});

/** Other Page fields' changes are stored whole, unread: their `value` may be any JSON. */
export const changeItemSchema = z.looseObject({ field: word, value: z.unknown() });

export const entrySchema = z.looseObject({
  id,
  time: epochMs.optional(),
  messaging: z.array(z.unknown()).optional(),
  standby: z.array(z.unknown()).optional(),
  changes: z.array(z.unknown()).optional(),
});

export type Envelope = z.infer<typeof envelopeSchema>;
export type Entry = z.infer<typeof entrySchema>;
export type MessagingItem = z.infer<typeof messagingItemSchema>;
export type ChangeItem = z.infer<typeof changeItemSchema>;
export type FeedValue = z.infer<typeof feedValueSchema>;

/** A stored event holds at most this many nested levels and bytes of JSON; Meta's deepest events have about six. */
export const maxPayloadDepth = 32;
export const maxPayloadBytes = 256 * 1024;

/**
 * Why a value cannot be stored as it is, or undefined. Walked without recursion, so a body nested thousands deep
 * costs a loop, not the stack; the store (mongoose's clone, BSON) is recursive and must never see such a body.
 * FerretDB refuses arrays directly inside arrays and keys that start with `$` or hold `.` or NUL.
 */
export function unstorableReason(value: unknown): string | undefined {
  const pending: { value: unknown; depth: number; inArray: boolean }[] = [
    { value, depth: 1, inArray: false },
  ];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth > maxPayloadDepth) return `nested deeper than ${maxPayloadDepth} levels`;
    if (Array.isArray(next.value)) {
      if (next.inArray) return 'holds an array directly inside an array';
      for (const element of next.value as unknown[])
        pending.push({ value: element, depth: next.depth + 1, inArray: true });
      continue;
    }
    for (const [key, element] of Object.entries(next.value)) {
      if (key.startsWith('$') || key.includes('.') || key.includes('\u0000'))
        return 'holds a key with `$`, `.` or NUL';
      pending.push({ value: element, depth: next.depth + 1, inArray: false });
    }
  }
  // Bounded depth now makes JSON.stringify safe.
  if (Buffer.byteLength(JSON.stringify(value)) > maxPayloadBytes)
    return `larger than ${maxPayloadBytes} bytes`;
  return undefined;
}

/**
 * The item read as `schema` says and fit to store, or why not. zod descends only into the fields it names, so an
 * unknown field nested thousands deep reaches `unstorableReason`, never a recursion.
 */
export function readItem<T>(
  schema: z.ZodType<T>,
  value: unknown,
): { item: T; reason?: undefined } | { reason: string } {
  const parsed = schema.safeParse(value);
  if (parsed.success) {
    const unstorable = unstorableReason(parsed.data);
    return unstorable ? { reason: unstorable } : { item: parsed.data };
  }
  const issue = parsed.error.issues[0];
  return { reason: `${issue?.path.join('.') || 'item'}: ${issue?.message ?? 'unreadable'}` };
}
