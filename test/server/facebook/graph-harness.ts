import { Writable } from 'node:stream';
import pino from 'pino';
import {
  createGraphClient,
  type GraphClient,
  type GraphClientOptions,
} from '../../../server/facebook/graph-client';
import type { PageCredentials } from '../../../server/facebook/graph-types';
import { createMessengerGateway, type MessengerGateway } from '../../../server/facebook/messenger-gateway';
import type { SendGovernorOptions } from '../../../server/facebook/send-governor';
import { redactedPaths, type Logger } from '../../../server/platform/logger';
import type { Simulator } from '../../../simulator';

/** A logger whose lines the test can read: retries are counted from them and tokens looked for in them. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = pino(
    { level: 'debug', redact: { paths: redactedPaths, censor: '[redacted]' } },
    destination,
  );
  return { logger, lines };
}

export function retriesLogged(lines: string[]): number {
  return lines.filter((line) => line.includes('graph call failed, retrying')).length;
}

export function clientFor(
  sim: Simulator,
  logger: Logger,
  overrides: Partial<GraphClientOptions> = {},
): GraphClient {
  return createGraphClient({
    baseUrl: sim.url,
    apiVersion: sim.apiVersion,
    appId: sim.appId,
    appSecret: sim.appSecret,
    timeoutMs: 2000,
    retry: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 50 },
    logger,
    ...overrides,
  });
}

/** The gateway (Graph client and send governor) the product builds, pointed at the simulator. */
export function gatewayFor(
  sim: Simulator,
  logger: Logger,
  governor: Omit<SendGovernorOptions, 'logger'>,
  graph: Partial<GraphClientOptions> = {},
): MessengerGateway {
  return createMessengerGateway({
    graph: {
      baseUrl: sim.url,
      apiVersion: sim.apiVersion,
      appId: sim.appId,
      appSecret: sim.appSecret,
      timeoutMs: 5000,
      retry: { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 50 },
      logger,
      ...graph,
    },
    governor: { ...governor, logger },
  });
}

/** A person who has just written to the Page, so its 24-hour window is open. */
export async function personWhoWrote(
  sim: Simulator,
  personId: string,
  page: PageCredentials,
): Promise<string> {
  const { psid } = await sim.control.sendText(personId, page.pageId, 'Hello');
  return psid;
}

export const textTo = (psid: string, text = 'Thanks for writing!') =>
  ({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text } }) as const;
