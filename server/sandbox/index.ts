import type { Router } from 'express';
import type { Config } from '../config';
import { AdjustableClock, type Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { ApiOperation } from '../platform/openapi/api-operation';
import {
  createSandboxDisabledRouter,
  createSandboxRouter,
  sandboxActionOperations,
  sandboxOperations,
} from './routes';
import { createSandboxService } from './service';
import { createSimulatorControl } from './simulator-control';

export interface SandboxFeature {
  routers: { path: string; router: Router }[];
  /** What the routers mount, for the OpenAPI document. */
  operations: ApiOperation[];
  start(): Promise<void>;
}

/**
 * The sandbox (SANDBOX=1, set by npm start when the Messenger Platform simulator at FB_GRAPH_URL plays Meta): the
 * dashboard acts as the simulator's people and moves the simulator's clock and the app's together.
 */
export function createSandboxFeature(deps: {
  config: Pick<Config, 'SANDBOX' | 'FB_GRAPH_URL' | 'GRAPH_TIMEOUT_MS'>;
  clock: Clock;
  logger: Logger;
}): SandboxFeature {
  const { config, clock, logger } = deps;
  if (!config.SANDBOX) {
    return {
      routers: [{ path: '/api/sandbox', router: createSandboxDisabledRouter() }],
      operations: sandboxOperations,
      start: async () => {},
    };
  }
  if (!(clock instanceof AdjustableClock)) {
    throw new Error('SANDBOX needs an AdjustableClock, which /api/sandbox/clock/advance moves');
  }
  const simulatorUrl = new URL(config.FB_GRAPH_URL).origin;
  const sandbox = createSandboxService({
    simulator: createSimulatorControl({ url: simulatorUrl, timeoutMs: config.GRAPH_TIMEOUT_MS }),
    simulatorUrl,
    clock,
  });
  return {
    routers: [{ path: '/api/sandbox', router: createSandboxRouter(sandbox, simulatorUrl) }],
    operations: [...sandboxOperations, ...sandboxActionOperations],
    async start() {
      await sandbox.catchUpWithSimulator().catch((error: unknown) => {
        logger.warn(
          { err: error, simulatorUrl },
          'sandbox: could not read the simulator’s clock; the app’s clock starts at the real time',
        );
      });
    },
  };
}
