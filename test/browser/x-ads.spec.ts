import type { Page } from '@playwright/test';
import { expect, expectAccessible, loginThroughSimulator, screenshot, test } from './browser-test';
import { newWorld } from './sandbox-world';

/** The simulator's X users on its ads account "Bakery Ads" (simulator/README.md, X Ads API). */
const adManager = '7002';
const tweetComposer = '7003';

/** "Connect X Ads" on the X Ads screen, then X's authorize page (the simulator's) as `xUserId`, and back. */
async function connectXAds(page: Page, name: string, xUserId: string) {
  const form = page.getByRole('form', { name: 'Connect X Ads' });
  await form.getByLabel('Name').fill(name);
  await form.getByRole('button', { name: 'Connect X Ads' }).click();
  await expect(page.getByRole('heading', { name: 'Authorize the app to use your account?' })).toBeVisible();
  await page.getByLabel('Sign in as').selectOption(xUserId);
  await page.getByRole('button', { name: 'Authorize app' }).click();
  await page.waitForURL((url) => url.pathname === '/x-ads' && url.searchParams.has('connected'));
  await expect(page.getByRole('status')).toContainText('Connected');
  return page.getByRole('list', { name: 'X Ads connections' }).getByRole('listitem', { name });
}

test('an Ad Manager connects X Ads through X, pulls, and sees the metrics charted; a Tweet Composer is told why there are none', async ({
  page,
  simulator,
}) => {
  const world = await newWorld(simulator, 'XAds', 0);
  await loginThroughSimulator(page, { facebookUserId: world.userId });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'X Ads' }).click();
  await expect(page.getByRole('heading', { name: 'X Ads', level: 1 })).toBeVisible();

  const manager = await connectXAds(page, 'Mo on X', adManager);
  await expect(manager).toContainText('Active');
  await expect(manager).toContainText('@mo_manager');
  await expect(manager).toContainText('XAds Admin');
  await expect(manager.getByRole('list', { name: 'Roles' })).toHaveText(
    'Ad Manager: lets Pagewire read campaign metrics and account metrics',
  );
  await manager.getByRole('button', { name: 'Pull metrics now' }).click();
  const accountChart = manager.getByRole('group', { name: 'Bakery Ads: the account per day' });
  await expect(accountChart.getByRole('img')).toBeVisible();
  await expect(accountChart).toContainText(/Impressions: [\d,]+/);
  const campaignChart = manager.getByRole('group', { name: 'Bakery Ads: impressions per campaign per day' });
  await expect(campaignChart).toContainText('Sourdough launch');
  await expect(campaignChart).toContainText('Weekend brunch');
  await expect(manager).not.toContainText('Not yet');

  const composer = await connectXAds(page, 'Tess on X', tweetComposer);
  await expect(composer.getByRole('list', { name: 'Roles' })).toHaveText(
    'Tweet Composer: lets Pagewire read nothing',
  );
  await composer.getByRole('button', { name: 'Pull metrics now' }).click();
  await expect(composer).not.toContainText('Not yet');
  await expect(composer).toContainText(
    'No metrics here: @tess_composer is Tweet Composer on Bakery Ads, and X shows an ads account’s campaign and account results only to an Account Administrator, Ad Manager, Creative Manager or Campaign Analyst.',
  );
  await expect(composer.getByRole('group')).toHaveCount(0);
  await expect(composer.getByRole('img')).toHaveCount(0);

  await expectAccessible(page);
  await screenshot(page, 'x-ads');

  await page.setViewportSize({ width: 375, height: 800 });
  await expect(accountChart.getByRole('img')).toBeVisible();
  expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(375);
  await expectAccessible(page);
  await screenshot(page, 'x-ads-phone');
});

test('cancelling on X brings the person back to the X Ads screen, told that nothing was connected', async ({
  page,
  simulator,
}) => {
  const world = await newWorld(simulator, 'XAdsCancel', 0);
  await loginThroughSimulator(page, { facebookUserId: world.userId });
  await page.goto('/x-ads');
  const form = page.getByRole('form', { name: 'Connect X Ads' });
  await form.getByLabel('Name').fill('Never mind');
  await form.getByRole('button', { name: 'Connect X Ads' }).click();
  await expect(page.getByRole('heading', { name: 'Authorize the app to use your account?' })).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForURL((url) => url.pathname === '/x-ads');
  await expect(page.getByRole('alert')).toHaveText('You cancelled on X: nothing was connected.');
  await expect(page.getByRole('heading', { name: 'X Ads', level: 1 })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, 'x-ads-connect-cancelled');
});
