import http from 'node:http';
import https from 'node:https';

/**
 * Connections kept open between deliveries, as Meta keeps them to a busy callback. Idle ones do not hold the process
 * open (Node unrefs a free keep-alive socket).
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

/**
 * POSTs one webhook body and resolves with the status once the whole answer has been read; rejects on a network
 * error, on `cancelled`, or when no full answer came within `timeoutMs`. A redirect is an answer like any other: Meta
 * wants a 200 from the callback URL itself.
 *
 * Node's http client rather than `fetch`: at a broadcast's pace (an echo per message sent, hundreds a second) fetch's
 * web streams and abort signals cost the simulator more CPU than the app spends acknowledging the echoes, and the
 * benchmarks run both on the same cores.
 */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  { cancelled, timeoutMs }: { cancelled?: AbortSignal; timeoutMs: number },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const agent = target.protocol === 'https:' ? agents['https:'] : agents['http:'];
    const request = client.request(
      target,
      {
        method: 'POST',
        agent,
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
