import { z } from 'zod';

/** Fields the bot and capture APIs share; message content is server/messaging/message-content.ts's, ids ids.ts's. */
export const keywordList = z.array(z.string().trim().min(1).max(100)).max(200);
