/**
 * The webhook sweep's reads (by status, every second or as the test server sets it, on their own clock), as mongoose's
 * debug hook names them: background to a test that counts what one webhook costs. The order check reads by
 * conversation, so it is never one of them.
 */
export const isWebhookSweepRead = (collection: string, method: string, query: unknown) =>
  collection === 'webhookevents' &&
  method === 'find' &&
  !(typeof query === 'object' && query !== null && 'conversationKey' in query);
