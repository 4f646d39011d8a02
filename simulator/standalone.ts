import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ClockMode } from './clock';
import { seedSchema, type Seed } from './seed';
import type { SimulatorOptions } from './settings';

export interface StandaloneConfig {
  seedPath: string;
  options: SimulatorOptions;
}

/**
 * What `npm run simulator` (and `npm start`'s sandbox) starts, read from its environment. The clock runs in real
 * time: a manual clock would stamp every webhook with the start time, and after a day of sandbox uptime every
 * message would look more than 24 hours old to the app.
 */
export function standaloneConfig(env: NodeJS.ProcessEnv): StandaloneConfig {
  const seedPath = resolve(env.SIM_SEED ?? 'simulator/seed.example.json');
  const seed: Seed = seedSchema.parse(JSON.parse(readFileSync(seedPath, 'utf8')));
  return {
    seedPath,
    options: {
      port: Number(env.SIM_PORT ?? 3900),
      host: env.SIM_HOST ?? '127.0.0.1',
      ...(seed.appId ? { appId: seed.appId } : {}),
      ...(seed.appSecret ? { appSecret: seed.appSecret } : {}),
      seed,
      clock: clockMode(env.SIM_CLOCK),
      x: { users: seed.xUsers ?? [] },
      webhook: {
        callbackUrl: env.SIM_WEBHOOK_URL ?? null,
        verifyToken: env.SIM_VERIFY_TOKEN ?? null,
      },
      xAds: {
        ...(env.SIM_X_ADS_CONSUMER_KEY ? { consumerKey: env.SIM_X_ADS_CONSUMER_KEY } : {}),
        ...(env.SIM_X_ADS_CONSUMER_SECRET ? { consumerSecret: env.SIM_X_ADS_CONSUMER_SECRET } : {}),
      },
    },
  };
}

function clockMode(value: string | undefined): ClockMode {
  if (value === undefined || value === 'realtime') return 'realtime';
  if (value === 'manual') return 'manual';
  throw new Error(`SIM_CLOCK must be realtime or manual, not ${value}`);
}
