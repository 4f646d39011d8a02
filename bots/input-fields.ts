import { z } from 'zod';

/** Fields the bot and capture APIs share; message content itself is server/messaging/message-content.ts's. */
export const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'an id');

export const keywordList = z.array(z.string().trim().min(1).max(100)).max(200);
