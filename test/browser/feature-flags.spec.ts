import { expect, expectAccessible, loginThroughSimulator, screenshot, test } from './browser-test';
import { startOwnPagewire } from './own-pagewire';
import { newWorld } from './sandbox-world';

test('sponsored messages and phone invitations: linked in the navigation when switched on, absent and 404 when off', async ({
  page,
  browser,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Flags', 0);

  // The sandbox every spec uses runs with both features on.
  await loginThroughSimulator(page, { facebookUserId: world.userId });
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Sponsored' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Phone invites' })).toBeVisible();
  expect((await page.request.get('/api/sponsored-messages')).status()).toBe(200);
  expect((await page.request.get('/api/phone-invites')).status()).toBe(200);

  const off = await startOwnPagewire({ FEATURE_SPONSORED_MESSAGES: 'false', FEATURE_PHONE_INVITES: 'false' });
  const context = await browser.newContext({ baseURL: off.url });
  try {
    const offPage = await context.newPage();
    await loginThroughSimulator(offPage, { facebookUserId: world.userId });
    const offNav = offPage.getByRole('navigation', { name: 'Main' });
    await expect(offNav.getByRole('link', { name: 'Broadcasts' })).toBeVisible();
    await expect(offNav.getByRole('link', { name: 'Sponsored' })).toHaveCount(0);
    await expect(offNav.getByRole('link', { name: 'Phone invites' })).toHaveCount(0);
    expect((await offPage.request.get('/api/sponsored-messages')).status()).toBe(404);
    expect((await offPage.request.get('/api/phone-invites')).status()).toBe(404);
    await expectAccessible(offPage);
    await screenshot(offPage, 'navigation-features-off');
  } finally {
    await context.close();
    await off.stop();
  }
});
