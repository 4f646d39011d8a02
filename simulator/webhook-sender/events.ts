import type { ThreadRecord } from '../records';

/** Builders for the `messaging[]` objects of docs/messenger-platform.md §1.5. */

export function fromPerson(thread: ThreadRecord, timestamp: number, body: Record<string, unknown>) {
  return { sender: { id: thread.psid }, recipient: { id: thread.pageId }, timestamp, ...body };
}

export function fromPage(thread: ThreadRecord, timestamp: number, body: Record<string, unknown>) {
  return { sender: { id: thread.pageId }, recipient: { id: thread.psid }, timestamp, ...body };
}

export function echoMessage(
  appId: string,
  mid: string,
  message: Record<string, unknown>,
): Record<string, unknown> {
  const { attachment, quick_replies: quickReplies, metadata, text } = message;
  return {
    is_echo: true,
    app_id: Number(appId),
    ...(metadata !== undefined ? { metadata } : {}),
    mid,
    ...(text !== undefined ? { text } : {}),
    ...(attachment !== undefined ? { attachments: [attachment] } : {}),
    ...(quickReplies !== undefined ? { quick_replies: quickReplies } : {}),
  };
}
