import type { Page } from '@playwright/test';
import { XSimulatorControl } from '../../simulator/x/control-client';
import { expect, expectAccessible, loginThroughSimulator, screenshot, test } from './browser-test';
import { newWorld } from './sandbox-world';

async function expectWithinPhoneWidth(page: Page) {
  const overflowing = await page.evaluate(`[...document.querySelectorAll('main *')]
    .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
    .map((element) => element.outerHTML.slice(0, 80))`);
  expect(overflowing).toEqual([]);
}

test('a member reads what each X permission is for, connects on X, shares now and schedules, and sees reach and clicks', async ({
  page,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Xshare', 0);
  const unique = `${Date.now() % 1_000_000}`;
  const xUser = {
    id: `18${unique}`,
    username: `bakery${unique}`,
    name: 'Corner Bakery on X',
    followersCount: 4321,
  };
  await new XSimulatorControl(simulator.url).addUser(xUser);
  await loginThroughSimulator(page, { facebookUserId: world.userId });

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'X accounts' }).click();
  await expect(page.getByRole('heading', { name: 'X accounts', level: 1 })).toBeVisible();
  const scopes = page.getByRole('table', { name: 'X permissions and what Pagewire uses them for' });
  await expect(scopes.getByRole('row', { name: /tweet\.write Yes Used for posting/ })).toBeVisible();
  await expect(scopes.getByRole('row', { name: /dm\.read No Not used/ })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Connect with X' }).click();
  await page.waitForURL((url) => url.pathname === '/x/i/oauth2/authorize');
  await page.getByLabel('Log in as').selectOption(xUser.id);
  await page.getByRole('button', { name: 'Authorize app' }).click();
  await expect(page.getByRole('status')).toContainText(`@${xUser.username} is connected`);
  const accounts = page.getByRole('list', { name: 'X accounts' });
  await expect(accounts).toContainText(`@${xUser.username}`);
  await expect(accounts).toContainText('0 posted');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Share to X' }).click();
  const text = `Fresh sourdough ${unique} from 7, order at https://shop.example.com/sourdough`;
  await page.getByRole('textbox', { name: 'Post' }).fill(text);
  await expect(page.locator('#post-count')).toContainText(/\d+ \/ 280/);
  await page.getByRole('button', { name: 'Share now' }).click();
  await expect(page.getByRole('status')).toContainText('seen by up to 4321 followers');
  const history = page.getByRole('list', { name: 'Shared posts' });
  await expect(history.getByRole('listitem').first()).toContainText('Reach 4,321');

  const posts = (await (await page.request.get('/api/x/posts')).json()) as { data: { sentText: string }[] };
  const tracked = /\/r\/x\/[0-9a-f]{24}/.exec(posts.data[0]?.sentText ?? '')?.[0] ?? '';
  const click = await page.request.get(tracked, { maxRedirects: 0 });
  expect(click.headers().location).toBe('https://shop.example.com/sourdough');
  await page.reload();
  await expect(history.getByRole('listitem').first()).toContainText('1 click');

  await page.getByRole('textbox', { name: 'Post' }).fill(text);
  await expect(page.getByRole('alert')).toContainText('Too similar');
  await expect(page.getByRole('button', { name: 'Share now' })).toBeDisabled();

  await page.getByRole('textbox', { name: 'Post' }).fill(`Rye bread ${unique} on Saturday morning`);
  await page.getByLabel('Or schedule for').fill('2099-06-01T09:00');
  await page.getByRole('button', { name: 'Schedule' }).click();
  await expect(page.getByRole('status')).toContainText('Scheduled for');
  await expect(history.getByRole('listitem').first()).toContainText('Scheduled');
  await expectAccessible(page);
  await screenshot(page, 'share-to-x');
  await page.setViewportSize({ width: 375, height: 740 });
  await expectWithinPhoneWidth(page);
  await expectAccessible(page);
  await screenshot(page, 'share-to-x-phone');

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/x-accounts');
  await expect(accounts).toContainText('1 posted');
  await expect(accounts).toContainText('1 scheduled');
  await expectAccessible(page);
  await screenshot(page, 'x-accounts');
  await page.setViewportSize({ width: 375, height: 740 });
  await expectWithinPhoneWidth(page);
  await expectAccessible(page);
  await screenshot(page, 'x-accounts-phone');
});
