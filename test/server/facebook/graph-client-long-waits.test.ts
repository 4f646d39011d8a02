import { createServer, type Server } from 'node:http';
import { createGraphClient } from '../../../server/facebook/graph-client';
import { GraphError, tooManyActionsWaitMs } from '../../../server/facebook/graph-outcomes';
import { listenOnLoopback } from '../../support/loopback';
import { capturingLogger, retriesLogged, textTo } from './graph-harness';

/**
 * The simulator does not answer 9/2018352 ("user is performing too many actions", docs/messenger-platform.md §2), so a
 * stand-in answers it in Meta's error shape, the way the simulator answers everything else.
 */
describe('a refusal whose wait is longer than the client should hold a request open', () => {
  let server: Server;
  let url: string;
  let requests = 0;

  beforeAll(async () => {
    server = createServer((_request, response) => {
      requests += 1;
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          error: {
            message: '(#9) This person is performing too many actions. Please try again later.',
            type: 'OAuthException',
            code: 9,
            error_subcode: 2018352,
            fbtrace_id: 'AbCdEf',
          },
        }),
      );
    });
    url = await listenOnLoopback(server);
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  test('a person performing too many actions is not retried in the client; the caller is told to wait', async () => {
    const log = capturingLogger();
    const graph = createGraphClient({
      baseUrl: url,
      apiVersion: 'v25.0',
      appId: '1',
      appSecret: 'stand-in-app-secret',
      timeoutMs: 2000,
      retry: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 50 },
      logger: log.logger,
    });
    const error: unknown = await graph
      .sendMessage({ pageId: '1', accessToken: 'EAAToken' }, textTo('2'))
      .catch((refusal: unknown) => refusal);
    expect(error).toMatchObject({ outcome: { kind: 'retry_later' }, code: 9, subcode: 2018352 });
    const waitMs =
      error instanceof GraphError && error.outcome.kind === 'retry_later' ? error.outcome.waitMs : 0;
    expect(waitMs).toBeGreaterThanOrEqual(tooManyActionsWaitMs);
    expect(retriesLogged(log.lines)).toBe(0);
    expect(requests).toBe(1);
  });
});
