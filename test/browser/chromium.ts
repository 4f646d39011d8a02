import type { LaunchOptions } from '@playwright/test';

/**
 * Debian's Chromium as the browser tests and the browser benchmark launch it: Playwright's own browser download
 * cannot work here, hence `executablePath`. As root, with no GPU, on a closed network: otherwise Chromium refuses to
 * start or waits on services nobody answers.
 */
export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
