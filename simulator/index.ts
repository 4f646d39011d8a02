import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { SimClock } from './clock';
import type { SimContext } from './context';
import { SimulatorControl } from './control/client';
import { XSimulatorControl } from './x/control-client';
import { FaultInjector } from './graph/faults';
import { RateLimiter } from './graph/rate-limits';
import { createServerApp } from './http-app';
import { resolveSettings, type SimulatorLogger, type SimulatorOptions } from './settings';
import { SimState } from './state';
import { TimerSet } from './timers';
import { WebhookDelivery } from './webhook-sender/delivery';
import { WebhookEmitter } from './webhook-sender/emitter';
import { createXAdsSimulator } from './x-ads';
import { resolveXSettings } from './x/settings';
import { XState } from './x/state';

export { SimulatorControl } from './control/client';
export type * from './control/client';
export type { Seed, PageSeed, UserSeed, PersonSeed, AdAccountSeed } from './seed';
export type * from './settings';
export type { ClockMode } from './clock';
export { PAGE_INBOX_APP_ID } from './settings';
export { XSimulatorControl } from './x/control-client';
export type * from './x/control-client';
export type { XOptions, XUserSeed } from './x/settings';

export interface Simulator {
  /** e.g. http://127.0.0.1:PORT; Graph paths are `${url}/${apiVersion}/...`. */
  url: string;
  apiVersion: string;
  appId: string;
  appSecret: string;
  control: SimulatorControl;
  /** X's Ads API: base `${url}/x-ads`, control `${url}/_sim/x-ads`. */
  xAds: { baseUrl: string; consumerKey: string; consumerSecret: string };
  /** X's client credentials and its control API; X is served under `${url}/x`. */
  x: { clientId: string; clientSecret: string; control: XSimulatorControl };
  stop(): Promise<void>;
}

const silentLogger: SimulatorLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** Starts the Messenger Platform simulator on a loopback port. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const settings = resolveSettings(options);
  const initialSettings = structuredClone(settings);
  const clock = new SimClock(settings.startTime, settings.clock);
  const state = new SimState(settings, () => clock.now());
  const logger = options.logger ?? silentLogger;
  const xSettings = resolveXSettings(options.x);
  const initialXSettings = structuredClone(xSettings);
  const delivery = new WebhookDelivery(
    () => settings.webhook,
    settings.appSecret,
    () => clock.now(),
    logger,
  );
  const ctx: SimContext = {
    settings,
    state,
    clock,
    logger,
    delivery,
    webhooks: new WebhookEmitter(settings, state, clock, delivery),
    rateLimiter: new RateLimiter(() => settings.rateLimits),
    faults: new FaultInjector(() => settings.faults),
    timers: new TimerSet(),
    x: { settings: xSettings, state: new XState(xSettings), clock },
  };
  state.applySeed(options.seed);
  const xAds = createXAdsSimulator(options.xAds);

  let url = '';
  const reset = () => {
    ctx.timers.clear();
    delivery.cancelAll();
    ctx.webhooks.reset();
    ctx.rateLimiter.reset();
    Object.assign(settings, structuredClone(initialSettings));
    Object.assign(xSettings, structuredClone(initialXSettings));
    ctx.x.state.clear();
    clock.reset();
    state.clear();
    state.applySeed(options.seed);
    xAds.reset();
  };
  const app = createServerApp(ctx, { reset, url: () => url }, xAds);
  const server = await listen(app, settings.port, settings.host);
  const { port } = server.address() as AddressInfo;
  url = `http://${settings.host}:${port}`;
  logger.info({ url }, 'messenger platform simulator listening');

  return {
    url,
    apiVersion: settings.apiVersion,
    appId: settings.appId,
    appSecret: settings.appSecret,
    control: new SimulatorControl(url),
    xAds: { baseUrl: `${url}/x-ads`, consumerKey: xAds.consumerKey, consumerSecret: xAds.consumerSecret },
    x: {
      clientId: xSettings.clientId,
      clientSecret: xSettings.clientSecret,
      control: new XSimulatorControl(url),
    },
    stop: async () => {
      ctx.timers.clear();
      delivery.cancelAll();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function listen(app: ReturnType<typeof createServerApp>, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}
