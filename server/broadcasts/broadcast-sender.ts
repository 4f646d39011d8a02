import type { GraphOutcome } from '../facebook/graph-outcomes';
import { isGraphError } from '../facebook/graph-outcomes';
import type { MessageTag, OutgoingMessage, PageCredentials } from '../facebook/graph-types';
import type { MessengerGateway } from '../facebook/messenger-gateway';
import { SendGovernorClosed, SendWithdrawn } from '../facebook/send-governor';

export type SendAnswer =
  | { kind: 'sent'; messageId: string }
  | { kind: 'refused'; outcome: GraphOutcome; code?: number }
  /** Nothing left for Meta: the worker is stopping or its lease ran out; the claim is left for another worker. */
  | { kind: 'not_started' };

export interface BroadcastSendRequest {
  page: PageCredentials;
  psid: string;
  messagingType: 'RESPONSE' | 'UPDATE' | 'MESSAGE_TAG';
  tag?: string;
  message: OutgoingMessage;
  /** Epoch ms after which this worker may no longer start the send (its lease would not cover the answer). */
  startBy: number;
  now(): number;
  /** Aborted once the broadcast was paused or cancelled or the worker stops: sends still queued never start. */
  signal: AbortSignal;
  /** Awaited when the send's turn has come, before it goes to Meta (the intent to send); a rejection stops it. */
  beforeStart(): Promise<void>;
}

export interface BroadcastSender {
  send(request: BroadcastSendRequest): Promise<SendAnswer>;
}

/**
 * The one place a broadcast message leaves: the Page's governor (priority `broadcast`, so live chat goes first and
 * rate limits are waited out) in front of the Graph client. Outbound side-effects (551, 190) are the caller's.
 */
const isWritten = () => true;
const isNotWritten = () => false;

export function createBroadcastSender(gateway: MessengerGateway): BroadcastSender {
  return {
    async send(request) {
      const { page, psid, messagingType, tag, message } = request;
      try {
        const result = await gateway.governor.run(
          page.pageId,
          'broadcast',
          () =>
            gateway.graph.sendMessage(page, {
              recipient: { id: psid },
              messaging_type: messagingType,
              ...(tag ? { tag: tag as MessageTag } : {}),
              message,
            }),
          {
            signal: request.signal,
            // Written early, an intent only makes a crash count the send as maybe sent: never a second send.
            prepareAhead: () => void request.beforeStart().catch(() => undefined),
            async prepare() {
              if (request.now() > request.startBy || request.signal.aborted) return false;
              // Without its intent on record the send would be sent again after a crash: it waits for the next claim.
              return request.beforeStart().then(isWritten, isNotWritten);
            },
          },
        );
        return result ? { kind: 'sent', messageId: result.messageId } : { kind: 'not_started' };
      } catch (error) {
        if (error instanceof SendGovernorClosed || error instanceof SendWithdrawn)
          return { kind: 'not_started' };
        if (isGraphError(error)) return { kind: 'refused', outcome: error.outcome, code: error.code };
        throw error;
      }
    },
  };
}
