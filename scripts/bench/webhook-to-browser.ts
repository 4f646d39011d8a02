/**
 * Webhook to the open browser tab: how long from a simulated person's message (the simulator's control call, which
 * emits the signed webhook POST) to its text on the agent's screen, in Debian's Chromium with the built dashboard, the
 * app and the simulator started as `npm start` starts them (test/browser/global-setup.ts).
 *
 *   npm run bench:browser                       # 200 messages, one at a time; appends to BENCHMARKS.md
 *   BENCH_MESSAGES=50 BENCH_APPEND=0 npm run bench:browser
 */
import { chromium } from '@playwright/test';
import { SimulatorControl } from '../../simulator/control/client';
import { chromiumLaunchOptions } from '../../test/browser/chromium';
import globalSetup, { appUrlVariable, simulatorUrlVariable } from '../../test/browser/global-setup';
import { logInAndConnect, newWorld } from '../../test/browser/sandbox-world';
import { runToExit } from '../run-to-exit';
import { machine, ms, percentile, reportSection } from './bench-support';

const total = Number(process.env.BENCH_MESSAGES ?? 200);

async function main() {
  const stop = await globalSetup();
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const appUrl = process.env[appUrlVariable] as string;
    const simulator = new SimulatorControl(process.env[simulatorUrlVariable] as string);
    const world = await newWorld(simulator, 'Bench', 1);
    const person = world.people[0]?.id as string;
    const page = await browser.newPage({ baseURL: appUrl, viewport: { width: 1280, height: 800 } });
    await logInAndConnect(page, world);

    await simulator.sendText(person, world.pageId, 'warm-up');
    await page.goto('/inbox');
    await page.getByRole('list', { name: 'Conversations' }).getByRole('link').first().click();
    await page.getByRole('log', { name: 'Messages' }).getByText('warm-up').waitFor();
    // The page notes the wall-clock time each text first shows in the thread, as the agent would see it (a script
    // in the page's own terms: this file is type-checked without the DOM).
    await page.evaluate(`(() => {
      const seen = (window.benchSeen = {});
      const log = document.querySelector('[role="log"]');
      new MutationObserver(() => {
        for (const match of log.innerText.matchAll(/bench (\\d+)\\b/g)) seen[match[1]] ??= Date.now();
      }).observe(log, { childList: true, subtree: true, characterData: true });
    })()`);

    const latencies: number[] = [];
    for (let n = 0; n < total; n += 1) {
      const started = Date.now();
      await simulator.sendText(person, world.pageId, `bench ${n}`);
      const shownAt = await page.waitForFunction(
        (key) => (globalThis as unknown as { benchSeen?: Record<string, number> }).benchSeen?.[key],
        String(n),
        { polling: 'raf', timeout: 30_000 },
      );
      latencies.push(((await shownAt.jsonValue()) as number) - started);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    process.stdout.write(
      `webhook -> browser tab over ${total} messages: median ${ms(percentile(sorted, 50))} ms, p99 ${ms(percentile(sorted, 99))} ms\n`,
    );
    reportSection(
      'Webhook to the open browser tab',
      'From the simulator control call that emits the signed webhook POST to the text appearing in the open thread ' +
        'of the built dashboard in Chromium (`npm run bench:browser`), one message at a time, app and simulator as ' +
        '`npm start` runs them, on one machine.',
      ['date', 'database', 'messages', 'median ms', 'p99 ms', 'machine'],
      [
        [
          new Date().toISOString().slice(0, 10),
          process.env.MONGODB_URI ? 'mongodb' : 'embedded',
          String(total),
          ms(percentile(sorted, 50)),
          ms(percentile(sorted, 99)),
          machine(),
        ],
      ],
    );
  } finally {
    await browser.close();
    await stop();
  }
}

runToExit(main);
