import { defineConfig } from '@playwright/test';

/**
 * The dashboard's browser tests (`npm run test:browser`): Debian's Chromium, driven by Playwright against the
 * sandbox global-setup.ts starts. Playwright's own browser download cannot work here, hence `executablePath`.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  globalSetup: './global-setup.ts',
  outputDir: '../../test-results/browser',
  reporter: 'list',
  // One browser beside the database, the simulator and Pagewire is what two shared cores carry steadily.
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    browserName: 'chromium',
    headless: true,
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // As root, with no GPU, on a closed network: otherwise Chromium refuses to start or waits on services nobody answers.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
