/**
 * What a browser spec imports: `test` with the sandbox's fixtures, and the helpers specs share.
 *
 *   test('…', async ({ page, simulator }) => {
 *     await loginThroughSimulator(page);                     // Facebook Login in the browser, as Maria Owner
 *     await simulator.sendText('alice', '100200300400500', 'Hello');   // Alice writes to Corner Bakery
 *     await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible();
 *     await expectAccessible(page);
 *     await screenshot(page, 'inbox');                       // test-results/screens/inbox.png
 *   });
 *
 * The sandbox is seeded from simulator/seed.example.json and shared by every spec of a run; a spec that needs a
 * workspace of its own logs in as a user it adds (`simulator.addUser`), whose first login creates one.
 */
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import { SimulatorControl } from '../../simulator/control/client';
import { appUrlVariable, simulatorUrlVariable } from './global-setup';

export { expect };

const screensDir = path.resolve(__dirname, '../../test-results/screens');

function sandboxUrl(variable: string): string {
  const url = process.env[variable];
  if (!url) throw new Error(`${variable} is unset: run the browser tests with npm run test:browser`);
  return url;
}

export const test = base.extend<object, { simulator: SimulatorControl }>({
  baseURL: async ({}, use) => use(sandboxUrl(appUrlVariable)),
  /** The simulator's control API: act as people and Pages, read what Meta received. */
  simulator: [
    async ({}, use) => use(new SimulatorControl(sandboxUrl(simulatorUrlVariable))),
    { scope: 'worker' },
  ],
});

/**
 * Facebook Login as a person does it: "Continue with Facebook" on /login, then the simulator's dialog, as the
 * seeded user it offers first unless `facebookUserId` picks another. Resolves once the browser is back on the app.
 */
export async function loginThroughSimulator(
  page: Page,
  options: { facebookUserId?: string } = {},
): Promise<void> {
  await page.goto('/login');
  const appOrigin = new URL(page.url()).origin;
  const name = 'Continue with Facebook';
  await page.getByRole('link', { name }).or(page.getByRole('button', { name })).click();
  await page.waitForURL((url) => url.pathname === '/dialog/oauth');
  if (options.facebookUserId) await page.getByLabel('Log in as').selectOption(options.facebookUserId);
  await page.getByRole('button', { name: /^Continue as / }).click();
  await page.waitForURL((url) => url.origin === appOrigin);
}

/** The CSRF header a state-changing API call needs from a spec (the dashboard sends the same from its session). */
export async function csrfHeader(page: Page): Promise<Record<string, string>> {
  const { csrfToken } = (await (await page.request.get('/api/csrf-token')).json()) as { csrfToken: string };
  return { 'x-csrf-token': csrfToken };
}

/** Fails on axe-core's serious and critical violations, naming each rule and the elements that break it. */
export async function expectAccessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const blocking = violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
  expect(blocking, `accessibility of ${page.url()}`).toEqual([]);
}

/** The whole page as test-results/screens/{name}.png, for picking into docs/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(screensDir, `${name}.png`), fullPage: true });
}
