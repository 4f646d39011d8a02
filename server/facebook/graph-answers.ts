import { z } from 'zod';
import { GraphError } from './graph-outcomes';

/**
 * Reads a successful Graph answer. Meta adds fields over time, so extra ones are tolerated; a missing field we rely
 * on means we cannot tell what Meta did, which is an unknown outcome rather than a bug of ours.
 */
export function readAnswer<S extends z.ZodType>(schema: S, data: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new GraphError({ kind: 'unknown_outcome' }, { message: `Unexpected Graph answer to ${what}` });
}

export const idAnswer = z.object({ id: z.string() });
export const successAnswer = z.object({ success: z.boolean() });
export const resultAnswer = z.object({ result: z.string() });

export const sendAnswer = z.object({ recipient_id: z.string().optional(), message_id: z.string() });
export const senderActionAnswer = z.object({ recipient_id: z.string().optional() });
export const attachmentAnswer = z.object({ attachment_id: z.string() });

export const dataListAnswer = <S extends z.ZodType>(item: S) =>
  z.object({
    data: z.array(item),
    paging: z
      .object({ cursors: z.object({ after: z.string().optional() }).optional(), next: z.string().optional() })
      .optional(),
  });

export const pagePostAnswer = z.object({
  id: z.string(),
  message: z.string().optional(),
  created_time: z.string(),
  permalink_url: z.string().optional(),
});

export const threadOwnerAnswer = dataListAnswer(
  z.object({ thread_owner: z.object({ app_id: z.coerce.string() }) }),
);

export const subscribedAppAnswer = z.object({
  id: z.coerce.string(),
  name: z.string().optional(),
  subscribed_fields: z.array(z.string()).default([]),
});

export const tokenAnswer = z.object({
  access_token: z.string(),
  token_type: z.string().optional(),
  expires_in: z.number().optional(),
});

export const userAnswer = z.object({
  id: z.string(),
  name: z.string().optional(),
  email: z.string().optional(),
});

export const managedPageAnswer = z.object({
  id: z.string(),
  name: z.string(),
  access_token: z.string(),
  category: z.string().optional(),
  tasks: z.array(z.string()).default([]),
});

export const permissionAnswer = z.object({
  permission: z.string(),
  status: z.enum(['granted', 'declined', 'expired']),
});

export const debugTokenAnswer = z.object({
  data: z.object({
    is_valid: z.boolean(),
    app_id: z.coerce.string().optional(),
    type: z.string().optional(),
    user_id: z.coerce.string().optional(),
    profile_id: z.coerce.string().optional(),
    expires_at: z.number().optional(),
    scopes: z.array(z.string()).default([]),
  }),
});

export const objectAnswer = z.record(z.string(), z.unknown());
