import mongoose from 'mongoose';
import type { Config } from '../../server/config';
import { AdjustableClock } from '../../server/platform/clock';
import { createLogger } from '../../server/platform/logger';
import { startServer, type RunningServer, type ServerDeps } from '../../server/server';
import { testConfig } from './config';
import { stopBeforeDatabaseCloses } from './database';

export interface TestServer extends RunningServer {
  config: Config;
  clock: AdjustableClock;
}

/** Starts the whole product on the test file's database (see useTestDatabase) with quiet logs and a movable clock. */
export async function startTestServer(
  options: { config?: Config; clock?: AdjustableClock; tuning?: ServerDeps['tuning'] } = {},
): Promise<TestServer> {
  const config = options.config ?? testConfig();
  const clock = options.clock ?? new AdjustableClock();
  const server = await startServer({
    config,
    clock,
    logger: createLogger({ level: 'silent' }),
    db: mongoose.connection,
    tuning: { webhookProcessor: { sweepEveryMs: 200, retryBaseMs: 50, retryMaxMs: 200 }, ...options.tuning },
  });
  return { ...server, config, clock, stop: stopBeforeDatabaseCloses(server.stop) };
}
