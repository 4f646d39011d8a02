import { createGraphClient, type GraphClient, type GraphClientOptions } from './graph-client';
import { createSendGovernor, type SendGovernor, type SendGovernorOptions } from './send-governor';

export interface MessengerGateway {
  graph: GraphClient;
  governor: SendGovernor;
}

/**
 * The Graph client and the send governor wired together: every usage report Meta sends back with an answer reaches
 * the governor, so a Page slows down as it nears its limit. Features send with
 * `governor.run(pageId, priority, () => graph.sendMessage(page, request))`.
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
  return { graph, governor };
}
