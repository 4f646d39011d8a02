import http from 'node:http';
import https from 'node:https';

/**
 * Connections kept open between deliveries, as Meta keeps them to a busy callback. Idle ones do not hold the process
 * open (Node unrefs a free keep-alive socket).
 */
const httpAgent = new http.Agent({ keepAlive: true });
const httpsAgent = new https.Agent({ keepAlive: true });

/**
 * POSTs one webhook body and resolves with the status once the whole answer has been read; rejects on a network
 * error, on `cancelled`, or when no full answer came within `timeoutMs`. A redirect is an answer like any other: Meta
 * wants a 200 from the callback URL itself.
 *
 * Node's http client rather than `fetch`: at a broadcast's pace (an echo per message sent, hundreds a second) fetch's
 * web streams and abort signals cost the simulator about 0.7 ms of CPU a delivery, near what the app spends
 * acknowledging one, on the cores the benchmarks share with the app (BENCHMARKS.md).
 */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  { cancelled, timeoutMs }: { cancelled?: AbortSignal; timeoutMs: number },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const isHttps = target.protocol === 'https:';
    const request = (isHttps ? https : http).request(
      target,
      {
        method: 'POST',
        agent: isHttps ? httpsAgent : httpAgent,
        ...(cancelled ? { signal: cancelled } : {}),
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.once('end', () => {
          clearTimeout(timer);
          resolve(response.statusCode ?? 0);
        });
        response.once('error', fail);
        response.once('close', () => {
          if (!response.complete) fail(new Error('the answer was cut off'));
        });
      },
    );
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    function fail(error: Error): void {
      clearTimeout(timer);
      reject(error);
    }
    request.once('error', fail);
    request.end(body);
  });
}
