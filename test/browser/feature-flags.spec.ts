import type { Page } from '@playwright/test';
import { expect, expectAccessible, screenshot, test } from './browser-test';
import { startOwnPagewire } from './own-pagewire';
import { newWorld } from './sandbox-world';

/** Facebook Login through the simulator's dialog, answering the permissions the dialog asked for. */
async function logInSeeingPermissions(page: Page, facebookUserId: string): Promise<string[]> {
  await page.goto('/login');
  const appOrigin = new URL(page.url()).origin;
  const name = 'Continue with Facebook';
  await page.getByRole('link', { name }).or(page.getByRole('button', { name })).click();
  await page.waitForURL((url) => url.pathname === '/dialog/oauth');
  const asked = (await page.getByRole('listitem').allInnerTexts()).map((text) => text.split(/\s/)[0] ?? '');
  await page.getByLabel('Log in as').selectOption(facebookUserId);
  await page.getByRole('button', { name: /^Continue as / }).click();
  await page.waitForURL((url) => url.origin === appOrigin);
  return asked;
}

const flagged = ['ads_management', 'pages_messaging_phone_number'];

test('sponsored messages and phone invitations: asked for and linked when switched on; when off, neither asked nor linked, and 404', async ({
  page,
  browser,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Flags', 0);

  // The sandbox every spec uses runs with both features on.
  expect(await logInSeeingPermissions(page, world.userId)).toEqual(expect.arrayContaining(flagged));
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Sponsored' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Phone invites' })).toBeVisible();
  expect((await page.request.get('/api/sponsored-messages')).status()).toBe(200);
  expect((await page.request.get('/api/phone-invites')).status()).toBe(200);

  const off = await startOwnPagewire({ FEATURE_SPONSORED_MESSAGES: 'false', FEATURE_PHONE_INVITES: 'false' });
  const context = await browser.newContext({ baseURL: off.url });
  try {
    const offPage = await context.newPage();
    const asked = await logInSeeingPermissions(offPage, world.userId);
    expect(asked).toContain('pages_messaging');
    for (const permission of flagged) expect(asked).not.toContain(permission);
    const offNav = offPage.getByRole('navigation', { name: 'Main' });
    await expect(offNav.getByRole('link', { name: 'Broadcasts' })).toBeVisible();
    await expect(offNav.getByRole('link', { name: 'Sponsored' })).toHaveCount(0);
    await expect(offNav.getByRole('link', { name: 'Phone invites' })).toHaveCount(0);
    expect((await offPage.request.get('/api/sponsored-messages')).status()).toBe(404);
    expect((await offPage.request.get('/api/phone-invites')).status()).toBe(404);
    await expectAccessible(offPage);
    await screenshot(offPage, 'navigation-features-off');
    // Their dashboard paths lead where any unknown path does: the overview.
    for (const screen of ['/sponsored', '/phone-invites']) {
      await offPage.goto(screen);
      await offPage.waitForURL((url) => url.pathname === '/');
    }
  } finally {
    await context.close();
    await off.stop();
  }
});
