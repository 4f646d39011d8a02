import axios from 'axios';
import { guardedAgents, refusalOfUrl, type DestinationRules } from '../platform/http/outbound-destinations';
import { eventIdHeader, eventTypeHeader, signatureFor, signatureHeader } from './signature';

export interface Attempt {
  at: Date;
  delivered: boolean;
  statusCode?: number;
  latencyMs: number;
  error?: string;
}

export interface SendOptions {
  rules: DestinationRules;
  timeoutMs: number;
}

export interface SignedRequest {
  url: string;
  secret: string;
  eventId: string;
  type: string;
  body: string;
}

/** What is kept of a receiver's answer in the delivery log. */
const maxErrorLength = 300;

/**
 * One signed POST. Only a 2xx answer delivers; a redirect is never followed (its target was never checked), and
 * every address the connection may use is checked at this moment, not only when the endpoint was saved.
 */
export function createWebhookSender({ rules, timeoutMs }: SendOptions) {
  const agents = guardedAgents(rules);
  return async function send(request: SignedRequest, at: Date): Promise<Attempt> {
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    const refusal = refusalOfUrl(request.url, rules);
    if (refusal) return { at, delivered: false, latencyMs: 0, error: `Refused: ${refusal}` };
    try {
      const response = await axios.post(request.url, request.body, {
        ...agents,
        proxy: false,
        maxRedirects: 0,
        timeout: timeoutMs,
        // axios's timeout restarts with every byte; this one bounds the whole attempt.
        signal: AbortSignal.timeout(timeoutMs),
        maxContentLength: 64 * 1024,
        responseType: 'text',
        transformResponse: (data: unknown) => data,
        validateStatus: () => true,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Pagewire-Webhooks/1',
          [signatureHeader]: signatureFor(request.secret, request.body, at),
          [eventIdHeader]: request.eventId,
          [eventTypeHeader]: request.type,
        },
      });
      const statusCode = response.status;
      if (statusCode >= 200 && statusCode < 300) {
        return { at, delivered: true, statusCode, latencyMs: latency() };
      }
      const error =
        statusCode >= 300 && statusCode < 400
          ? `Redirects are not followed (to ${String(response.headers.location ?? 'nowhere')}).`
          : `The receiver answered ${statusCode}.`;
      return {
        at,
        delivered: false,
        statusCode,
        latencyMs: latency(),
        error: error.slice(0, maxErrorLength),
      };
    } catch (error) {
      const cause = (error as { cause?: Error }).cause;
      const message =
        cause?.name === 'RefusedDestination' || (error as Error).name === 'RefusedDestination'
          ? `Refused: ${(cause ?? (error as Error)).message}`
          : axios.isAxiosError(error) && (error.code === 'ECONNABORTED' || error.code === 'ERR_CANCELED')
            ? `No answer within ${timeoutMs} ms.`
            : (error as Error).message;
      return { at, delivered: false, latencyMs: latency(), error: message.slice(0, maxErrorLength) };
    }
  };
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;
