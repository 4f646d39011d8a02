import type { Page } from '@playwright/test';
import { expect, expectAccessible, screenshot, test } from './browser-test';
import { logInAndConnect, newWorld } from './sandbox-world';

/** Every box of the page's main content lies within its 375 px width (an overflowing one is named). */
async function expectWithinPhoneWidth(page: Page) {
  const overflowing = await page.evaluate(`[...document.querySelectorAll('main *')]
    .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
    .map((element) => element.outerHTML.slice(0, 80))`);
  expect(overflowing).toEqual([]);
}

test('an admin creates an API key, copies it once, the key reads the conversations, and after revoking it gets 401', async ({
  page,
  simulator,
}) => {
  const world = await newWorld(simulator, 'Keys', 0);
  await logInAndConnect(page, world);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click();
  await expect(page.getByRole('heading', { name: 'API keys', level: 1 })).toBeVisible();
  await expect(page.getByText('This workspace has no API key.')).toBeVisible();

  const form = page.getByRole('region', { name: 'New key' });
  await form.getByRole('textbox', { name: 'Name' }).fill('Shop CRM');
  await form.getByRole('checkbox', { name: /^read:/ }).uncheck();
  await form.getByRole('checkbox', { name: /^conversations:/ }).check();
  await form.getByRole('button', { name: 'Create key' }).click();
  const shown = form.getByRole('textbox', { name: 'The new key “Shop CRM”' });
  await expect(shown).toHaveValue(/^pwk_[0-9a-f]{12}_[\w-]{43}$/);
  await form.getByRole('button', { name: 'Copy key' }).click();
  await expect(form.getByRole('button', { name: 'Copied' })).toBeVisible();
  const key = String(await page.evaluate('navigator.clipboard.readText()'));
  expect(key).toBe(await shown.inputValue());

  const keys = page.getByRole('list', { name: 'API keys' });
  await expect(keys.getByRole('listitem')).toHaveCount(1);
  await expect(keys).toContainText('Shop CRM');
  await expect(keys).toContainText('Never used');
  await expect(keys).not.toContainText(key);

  const withKey = { headers: { authorization: `Bearer ${key}` } };
  const conversations = await page.request.get('/api/conversations', withKey);
  expect(conversations.status()).toBe(200);
  expect(conversations.headers()['ratelimit-policy']).toBeTruthy();
  // Outside its scope: broadcasts need the broadcasts scope.
  expect((await page.request.get('/api/broadcasts', withKey)).status()).toBe(403);
  await page.reload();
  await expect(keys).toContainText('Last used');

  await expectAccessible(page);
  await screenshot(page, 'api-keys');

  await keys.getByRole('button', { name: /^Revoke the key Shop CRM/ }).click();
  await expect(keys).toContainText('Revoked');
  const refused = await page.request.get('/api/conversations', withKey);
  expect(refused.status()).toBe(401);
  expect(refused.headers()['www-authenticate']).toMatch(/^Bearer/);

  await page.setViewportSize({ width: 375, height: 740 });
  await expectWithinPhoneWidth(page);
  await expectAccessible(page);
  await screenshot(page, 'api-keys-phone');
});
