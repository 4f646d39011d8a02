import type { Page } from '@playwright/test';
import { expect, expectAccessible, screenshot, test } from './browser-test';
import { logInAndConnect, newWorld } from './sandbox-world';

async function expectWithinPhoneWidth(page: Page) {
  const overflowing = await page.evaluate(`[...document.querySelectorAll('main *')]
    .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
    .map((element) => element.outerHTML.slice(0, 80))`);
  expect(overflowing).toEqual([]);
}

test('a marketer creates a sponsored message with a budget, reads its results from Meta, and pauses it', async ({
  page,
  simulator,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const world = await newWorld(simulator, 'Sponsor', 1);
  const account = `${Date.now() % 1_000_000_000}`;
  await simulator.addAdAccount({ id: account, name: 'Sponsor ads', userIds: [world.userId] });
  await logInAndConnect(page, world);
  await simulator.sendText(world.people[0]?.id ?? '', world.pageId, 'Hello!');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sponsored' }).click();
  await expect(page.getByRole('heading', { name: 'Sponsored messages', level: 1 })).toBeVisible();
  const form = page.getByRole('region', { name: 'New sponsored message' });
  await expect(form.getByRole('combobox', { name: 'Ad account' })).toHaveValue(`act_${account}`);
  await form.getByRole('textbox', { name: 'Name' }).fill('Too small');
  await form.getByRole('textbox', { name: 'Message' }).fill('Our spring menu is here');
  await form.getByRole('spinbutton', { name: 'Amount' }).fill('0.10');
  await form.getByRole('button', { name: 'Create and start' }).click();
  await expect(form.getByRole('alert')).toContainText(/budget is too low/i);
  // Meta made the (paused) campaign before refusing the ad set: it is kept as failed, with Meta's reason.
  await expect(page.getByRole('listitem').filter({ hasText: /^Too small/ })).toContainText('failed');

  await form.getByRole('textbox', { name: 'Name' }).fill('Spring menu');
  await form.getByRole('textbox', { name: 'Message' }).fill('Our spring menu is here');
  await form.getByRole('spinbutton', { name: 'Amount' }).fill('5.00');
  await form.getByRole('button', { name: 'Create and start' }).click();
  const card = page.getByRole('listitem').filter({ hasText: /^Spring menu/ });
  await expect(card).toContainText('active');
  await card.getByRole('button', { name: 'Read results now' }).click();
  await expect(card).toContainText('Reached 1');

  await expectAccessible(page);
  await screenshot(page, 'sponsored');

  await card.getByRole('button', { name: 'Pause' }).click();
  await expect(card).toContainText('CAMPAIGN_PAUSED');
  await page.setViewportSize({ width: 375, height: 740 });
  await expectWithinPhoneWidth(page);
  await screenshot(page, 'sponsored-phone');
});
