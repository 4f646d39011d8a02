import type { SimClock } from './clock';
import type { FaultInjector } from './graph/faults';
import type { RateLimiter } from './graph/rate-limits';
import type { SimulatorLogger, Settings } from './settings';
import type { SimState } from './state';
import type { TimerSet } from './timers';
import type { WebhookDelivery } from './webhook-sender/delivery';
import type { WebhookEmitter } from './webhook-sender/emitter';
import type { XContext } from './x/context';

/** Everything a route or action needs, passed in rather than imported. */
export interface SimContext {
  settings: Settings;
  state: SimState;
  clock: SimClock;
  logger: SimulatorLogger;
  webhooks: WebhookEmitter;
  delivery: WebhookDelivery;
  rateLimiter: RateLimiter;
  faults: FaultInjector;
  timers: TimerSet;
  /** X (Twitter), beside Meta: its own settings and memory on the same clock. */
  x: XContext;
}
