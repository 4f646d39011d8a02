import { z } from 'zod';

/** Bodies of the control API (`/_sim/...`), validated once at the edge. */

const id = z.string().min(1);

export const personMessageSchema = z.object({
  pageId: id,
  text: z.string().optional(),
  quickReplyPayload: z.string().optional(),
  attachments: z
    .array(
      z.object({
        type: z.string().min(1),
        payload: z.record(z.string(), z.unknown()).nullable(),
        title: z.string().optional(),
        url: z.string().optional(),
      }),
    )
    .optional(),
  replyToMid: z.string().optional(),
});

export const postbackSchema = z.object({
  pageId: id,
  title: z.string().min(1),
  payload: z.string(),
  referral: z.record(z.string(), z.unknown()).optional(),
});

export const pageOnlySchema = z.object({ pageId: id });

export const reactionSchema = z.object({
  pageId: id,
  mid: id,
  reaction: z.enum(['smile', 'angry', 'sad', 'wow', 'love', 'like', 'dislike', 'other']),
  emoji: z.string().optional(),
  action: z.enum(['react', 'unreact']).default('react'),
});

export const referralSchema = z.object({
  pageId: id,
  ref: z.string().regex(/^[A-Za-z0-9\-_=]+$/, 'ref allows only alphanumerics and - _ ='),
  source: z.enum(['SHORTLINK', 'ADS', 'CUSTOMER_CHAT_PLUGIN']).optional(),
  adId: z.string().optional(),
});

export const optinSchema = z.object({
  pageId: id,
  optin: z.discriminatedUnion('type', [
    z.object({
      type: z.literal('notification_messages'),
      title: z.string().optional(),
      payload: z.string().optional(),
      timezone: z.string().optional(),
    }),
    z.object({
      type: z.literal('notification_messages_status'),
      status: z.enum(['STOP_NOTIFICATIONS', 'RESUME_NOTIFICATIONS']),
    }),
    z.object({ type: z.literal('one_time_notif_req'), payload: z.string().optional() }),
    z.object({ type: z.literal('plugin'), ref: z.string().optional() }),
  ]),
});

export const commentSchema = z.object({ postId: id, message: z.string().min(1) });
export const editCommentSchema = z.object({ message: z.string().min(1) });
export const postSchema = z.object({ message: z.string().min(1) });

export const receiptSchema = z.object({
  pageId: id,
  mids: z.array(z.string()).optional(),
  watermark: z.number().int().optional(),
});

export const inboxMessageSchema = z.object({ psid: id, text: z.string().min(1) });

export const policyEnforcementSchema = z.object({
  action: z.enum(['warning', 'block', 'unblock']),
  reason: z.string().default('The Page violated Messenger Platform policy.'),
});

export const revocationSchema = z.object({
  reason: z.enum(['invalidated', 'expired', 'password_changed', 'app_removed']).default('invalidated'),
});

export const permissionSchema = z
  .object({ pageId: id.optional(), userId: id.optional(), permission: id })
  .refine((value) => (value.pageId === undefined) !== (value.userId === undefined), 'give pageId or userId');

export const threadOwnerSchema = z.object({
  pageId: id,
  psid: id,
  appId: id.nullable(),
  metadata: z.string().optional(),
});

const faultKind = z.enum(['server_error', 'temporary', 'send_failure', 'timeout', 'rate_limited']);

export const faultsSchema = z
  .object({
    serverErrorRate: z.number().min(0).max(1),
    temporaryErrorRate: z.number().min(0).max(1),
    temporaryErrorCode: z.union([z.literal(2), z.literal(1200)]),
    timeoutRate: z.number().min(0).max(1),
    timeoutHoldMs: z.number().int().nonnegative(),
    timeoutAfterAccept: z.boolean(),
    slowMs: z.number().int().nonnegative(),
    appliesTo: z.enum(['messages', 'all']),
    next: z.array(faultKind),
  })
  .partial()
  .strict();

export const rateLimitsSchema = z
  .object({
    pageId: id.optional(),
    textPerSecond: z.number().int().positive().optional(),
    mediaPerSecond: z.number().int().positive().optional(),
    cooldownMs: z.number().int().nonnegative().optional(),
    errorCode: z.number().int().optional(),
    messengerProfileCallsPer10Min: z.number().int().positive().optional(),
  })
  .strict();

export const webhookSchema = z
  .object({
    callbackUrl: z.string().url().nullable(),
    verifyToken: z.string().nullable(),
    timeoutMs: z.number().int().positive(),
    retryDelaysMs: z.array(z.number().int().nonnegative()),
    batchEntries: z.union([
      z.literal(false),
      z.object({ maxEntries: z.number().int().positive(), windowMs: z.number().int().nonnegative() }),
    ]),
    duplicateDeliveries: z.number().int().nonnegative(),
    maxConcurrentDeliveries: z.number().int().positive(),
    feedEntryTimeUnit: z.enum(['s', 'ms']),
  })
  .partial()
  .strict();

export const receiptsSchema = z
  .object({
    deliveryDelayMs: z.number().int().nonnegative().nullable(),
    readDelayMs: z.number().int().nonnegative().nullable(),
  })
  .partial()
  .strict();

export const policySchema = z
  .object({
    windowHours: z.number().positive(),
    humanAgentDays: z.number().positive(),
    privateReplyDays: z.number().positive(),
    requireMessagingType: z.boolean(),
    missingPermissionCode: z.number().int(),
    privateReplyExpired: z.object({ code: z.number().int(), subcode: z.number().int().optional() }),
    quickReplyTitleOverflow: z.enum(['truncate', 'reject']),
    marketingMessageGapHours: z.number().nonnegative(),
    promotionalWords: z.array(z.string().min(1)),
    promotionalMisuse: z.object({
      action: z.enum(['refuse', 'record']),
      code: z.number().int(),
      subcode: z.number().int().nullable(),
    }),
    buttonTitleMaxLength: z.number().int().positive(),
    buttonPayloadMaxLength: z.number().int().positive(),
  })
  .partial()
  .strict();

export const advanceSchema = z.object({ ms: z.number().int().nonnegative() });
export const subscribeSchema = z.object({ fields: z.array(z.string()).nullable() });
