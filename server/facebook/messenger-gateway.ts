import { createGraphClient, type GraphClient, type GraphClientOptions } from './graph-client';
import type { PageCredentials, SendRequest, SendResult } from './graph-types';
import {
  createSendGovernor,
  sendClassOf,
  type SendGovernor,
  type SendGovernorOptions,
  type SendPriority,
} from './send-governor';

export interface MessengerGateway {
  graph: GraphClient;
  governor: SendGovernor;
  /**
   * One Send API call through the Page's governor, paced as Meta counts it (audio and video against the media
   * rate). Callers that need their own checks inside the governor's turn use `governor.run` with `sendClassOf`.
   */
  sendMessage(page: PageCredentials, priority: SendPriority, request: SendRequest): Promise<SendResult>;
}

/**
 * The Graph client and the send governor wired together: every usage report Meta sends back with an answer reaches
 * the governor, so a Page slows down as it nears its limit. Features send with `gateway.sendMessage(page, priority,
 * request)`, or `governor.run(pageId, priority, () => graph.sendMessage(page, request), { sendClass })`.
 */
export function createMessengerGateway(options: {
  graph: Omit<GraphClientOptions, 'onUsage'>;
  governor: SendGovernorOptions;
}): MessengerGateway {
  const governor = createSendGovernor(options.governor);
  const graph = createGraphClient({
    ...options.graph,
    onUsage: (pageId, usage) => governor.observeUsage(pageId, usage),
  });
  return {
    graph,
    governor,
    sendMessage: (page, priority, request) =>
      governor.run(page.pageId, priority, () => graph.sendMessage(page, request), {
        sendClass: sendClassOf(request),
      }),
  };
}
